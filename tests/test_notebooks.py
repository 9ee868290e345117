"""The notebooks keep their promises: a clean in-order run, portable math, a check after every equation,
fresh navigation, widget state GitHub can render."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ALL = NOTEBOOKS + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_stored_outputs_come_from_one_clean_in_order_run(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), "run `make execute`"
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"stored error in {source(c)[:60]!r}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), f"stderr in {source(c)[:60]!r}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_math_renders_everywhere(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        assert "\\[" not in text and "\\]" not in text, "use $$...$$, not \\[ \\] (GitHub does not render them)"
        assert text.count("$$") % 2 == 0, f"unbalanced $$ in {text[:80]!r}"
        outside = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
        assert "\\begin{align" not in outside, "wrap environments in $$ ... $$"
        for block in re.findall(r"\$\$(.*?)\$\$", text, flags=re.S):
            assert not re.search(r"\n\s*\n", block), f"blank line inside $$ (breaks JupyterLab): {block[:60]!r}"


# What counts as an independent reference in the check after an equation: a numeric derivative (by hand or
# through the helpers that take one), or the same quantity computed another way (a loop, an explicit sum,
# einsum, kron, a shape read off numpy).  A helper that implements the formula itself (matmul_grads,
# einsum_grad) is not one: comparing with it only shows two copies of one formula agree.
INDEPENDENT = [
    r"numerical_gradient\(", r"numerical_jacobian\(", r"gradcheck\(", r"helpers\.check_\w+\(",
    r"/ \(?2 \* h\)?", r"/ h\b", r"^\s*for .+ in .+:", r"\bsum\(.+ for .+ in ", r"np\.einsum\(",
    r"np\.kron\(", r"\.shape ==", r"np\.trace\(",
]
SAME_FORMULA = [r"matmul_grads\(", r"einsum_grad\(", r"index_sum_loop\("]


def has_independent_reference(code):
    """True iff `code` asserts something and involves a reference other than a helper with the same formula."""
    code = "\n".join(line.split("#")[0] for line in code.splitlines())  # comments do not count
    for pattern in SAME_FORMULA:
        code = re.sub(pattern, "SAME_FORMULA(", code)
    return "assert" in code and any(re.search(p, code, re.M) for p in INDEPENDENT)


def test_the_independent_reference_rule_rejects_same_formula_checks():
    assert has_independent_reference("r = helpers.gradcheck(f, W, G @ X.T)\nassert r, r")
    assert has_independent_reference("for d in range(H):\n    assert np.isclose(a[d], b[d])")
    assert not has_independent_reference("assert np.allclose(G @ X.T, helpers.matmul_grads(W, X, G)[0])")
    assert not has_independent_reference("dW = G @ X.T\nassert np.allclose(dW, G @ X.T)")
    assert not has_independent_reference("assert np.allclose(helpers.einsum_grad('ij,jk->ik', [A, B], 0, G), G @ B.T)")
    assert not has_independent_reference("# numerical_gradient would be the reference\nassert np.allclose(a, a)")
    assert not has_independent_reference("r = helpers.gradcheck(f, W, G @ X.T)")  # no assert: only prints


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_displayed_equation_is_checked_against_an_independent_reference(path):
    cells = load(path)["cells"]
    for k, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and "$$" in source(cell):
            following = [c for c in cells[k + 1:] if c["cell_type"] == "code"]
            assert following and has_independent_reference(source(following[0])), \
                f"the code cell after {source(cell)[:70]!r} must assert against an independent reference"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_house_rules(path):
    nb = load(path)
    code = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert not re.search(r"sys\.path\.(insert|append)", code), "import the installed helpers package instead"
    assert not re.search(r"^\s*from \S+ import \*", code, re.M), "no star imports"
    if re.search(r"standard_normal|integers\(|\.normal\(", code):
        assert "default_rng(" in code, "seed explicitly with np.random.default_rng(seed)"
    assert not re.search(r"np\.random\.(seed|rand|randn|normal)\(", code), "use a seeded np.random.default_rng"


ONE_PAGE = "00-derivation-on-one-page.ipynb"  # the whole derivation on one page: no summary, no exercises


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS[1:] if p.name != ONE_PAGE], ids=lambda p: p.name)
def test_learning_goal_summary_and_exercises(path):
    text = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert "**Goal:**" in text and "## Summary" in text and "## Exercises" in text


def test_the_one_page_derivation_derives_both_gradients_and_checks_them():
    cells = load(ROOT / "notebooks" / ONE_PAGE)["cells"]
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    for step in ("02-chain-rule", "03-which-terms-survive", "04-local-derivative", "05-index-form",
                 "06-matrix-form", "08-other-input"):
        assert f"]({step}.ipynb" in text, f"the one-page derivation does not link to {step}"
    assert "G X^\\top" in text and "W^\\top G" in text
    code = "\n".join(source(c) for c in cells if c["cell_type"] == "code")
    assert "gradcheck(" in code and "assert" in code and "vary_shapes(" in code


def test_check_tables_are_explained_once_in_00():
    """The definitions of a check's columns and verdicts live in 00, under the heading others link to."""
    text = "\n".join(source(c) for c in load(NOTEBOOKS[0])["cells"] if c["cell_type"] == "markdown")
    section = text.split("## How to read a check", 1)[1].split("\n## ", 1)[0]
    for word in ("atol", "rtol", "÷ max\\|ref\\|", "PASS", "FAIL", "TRIVIAL", "INCONCLUSIVE", "meaningful"):
        assert word in section, word
    cells = load(NOTEBOOKS[0])["cells"]
    first_use = next(k for k, c in enumerate(cells) if c["cell_type"] == "code" and "meaningful" in source(c))
    assert any("meaningful" in source(c) for c in cells[:first_use] if c["cell_type"] == "markdown"), \
        "00 uses table.meaningful before saying what it means"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notes_and_sources_come_last(path):
    """Provenance (who wrote what, which sources were read) waits until the end of a notebook."""
    cells = [c for c in load(path)["cells"] if c.get("id") != "nav-bottom"]
    heads = [k for k, c in enumerate(cells) if c["cell_type"] == "markdown" and "## Notes and sources" in source(c)]
    if heads:
        assert heads == [len(cells) - 1], "'## Notes and sources' must be the last section"
    before = "\n".join(source(c) for c in cells[:heads[0]] if c["cell_type"] == "markdown") if heads else ""
    assert "blog post" not in before and "2018" not in before, "a provenance note outside Notes and sources"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_widget_state_is_stored_for_github(path):
    nb = load(path)
    views = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] if WIDGET_VIEW in o.get("data", {})]
    if views:
        state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {})
        assert "state" in state, "GitHub refuses notebooks whose metadata.widgets lacks 'state': run `make execute`"
        for view in views:
            assert view["data"][WIDGET_VIEW]["model_id"] in state["state"]
        for c in nb["cells"]:
            if any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", [])):
                assert "nbval-ignore-output" in c["metadata"].get("tags", []), "tag live widget cells"


def test_navigation_is_fresh():
    done = subprocess.run([sys.executable, str(ROOT / ".ci" / "navigation.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_importing_helpers_changes_no_global_state():
    code = ("import numpy as np, matplotlib as mpl; s = np.random.get_state()[1].copy(); r = dict(mpl.rcParams);"
            "b = mpl.get_backend(); import helpers; assert (np.random.get_state()[1] == s).all();"
            "assert dict(mpl.rcParams) == r; assert mpl.get_backend() == b; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_figures_are_stored_as_images(path):
    for cell in load(path)["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/plain", ""))
            if re.match(r"<(Figure|Picture) size", text):
                assert "image/png" in out["data"], f"figure without an image in {source(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_a_caption(path):
    cells = load(path)["cells"]
    for k, cell in enumerate(cells):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            nxt = cells[k + 1] if k + 1 < len(cells) else {"cell_type": "none", "source": ""}
            assert nxt["cell_type"] == "markdown" and source(nxt).startswith("*Figure:"), \
                f"figure from {source(cell)[:60]!r} has no caption cell after it"


def test_sanitizer_hides_round_off_of_passing_checks_but_keeps_failures():
    from nbval.plugin import get_sanitize_patterns

    import helpers

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())

    def sanitize(text):
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    p = helpers.Problem.make(3, 3, 3, seed=0)
    good = helpers.gradcheck(p.f, p.W, p.G @ p.X.T, name="right: G X^T")
    bad = helpers.gradcheck(p.f, p.W, p.G @ p.X, name="wrong: G X")
    table = helpers.CheckTable([good, bad])
    for text in (repr(table), table._repr_html_()):
        clean = sanitize(text)
        assert "PASS" in clean and "FAIL" in clean and "ERR" in clean
        assert f"{bad.max_abs_err:.1e}" in clean  # a failure's figures are still compared
        assert f"{good.max_abs_err:.1e}" not in clean
