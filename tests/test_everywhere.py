"""The places people open this material: Binder (repo2docker), Colab, a static site."""
import json
import re
import shutil
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
COURSE = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]


def clean_export(dest):
    """The files git tracks, as they are in the working tree (what a fresh clone of this state holds)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())
    return dest


def test_requirements_are_pinned_and_install_helpers():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert lines[-1] == "-e ."
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", l) for l in lines[:-1]), lines
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_builds_python_311_with_the_requirements(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to export")
    export = clean_export(tmp_path / "repo")
    r2d = Path(sys.executable).parent / "jupyter-repo2docker"
    done = subprocess.run([str(r2d), "--no-build", "--no-run", "--debug", str(export)],
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-2000:]
    assert "python=3.11" in out, "repo2docker did not pick Python 3.11 (runtime.txt)"
    install = out.index('pip install --no-cache-dir -r "requirements.txt"')
    copy_all = out.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert copy_all < install, "the whole repository must be copied before `-e .` in requirements.txt is installed"


COLAB_ID = "colab-setup"
PUBLISHED = not COURSE["github"].startswith("your-org/")  # as .ci/navigation.py decides


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_colab_cell_is_first_and_silent_outside_colab(path):
    nb = json.loads(path.read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert first.get("id") == COLAB_ID and first["outputs"] == []
    assert first["metadata"].get("jupyter", {}).get("source_hidden") is True, "set-up cell not folded"
    assert "hosted-setup" in first["metadata"].get("tags", []), "set-up cell not tagged for the site"
    top = "".join(nb["cells"][1]["source"])
    if not PUBLISHED:  # a placeholder repository: no link to it may appear (tests/test_links.py)
        assert "colab.research.google.com" not in top
        return
    assert f"colab.research.google.com/github/{COURSE['github']}/blob/{COURSE['branch']}/notebooks/" in top, \
        "Open in Colab badge missing at the top"


def colab_cell():
    nb = json.loads(ALL[0].read_text())
    return "".join(next(c for c in nb["cells"] if c.get("id") == COLAB_ID)["source"])


def run_cell(source):
    """Run a notebook cell as IPython would: top-level `await` allowed."""
    import ast
    import asyncio
    import inspect
    code = compile(source, "setup-cell", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, {})
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_colab_cell_installs_helpers_and_enables_widgets_only_in_colab(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(("run", a, k)))
    run_cell(colab_cell())
    assert calls == []  # outside Colab: nothing
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    colab.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append(("widgets",)))
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", colab.output)
    if not PUBLISHED:  # nothing to install from yet: a clear error instead of a placeholder URL
        with pytest.raises(ModuleNotFoundError, match="not published"):
            run_cell(colab_cell())
        return
    run_cell(colab_cell())
    (kind, args, kwargs), widgets = calls
    assert kind == "run" and kwargs.get("check") is True
    assert f"git+https://github.com/{COURSE['github']}.git@{COURSE['branch']}" in args[0]
    assert widgets == ("widgets",)


def test_setup_cell_installs_helpers_and_widgets_in_jupyterlite(monkeypatch):
    installed = []
    piplite = types.ModuleType("piplite")

    async def install(requirements, **kwargs):
        installed.append(requirements)
    piplite.install = install
    monkeypatch.setitem(sys.modules, "piplite", piplite)
    monkeypatch.setattr(sys, "platform", "emscripten")
    run_cell(colab_cell())
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    assert installed == [["ipywidgets", name]]


def test_static_site(tmp_path):
    course_site = load_ci("site")
    out = tmp_path / "site"
    pages = course_site.build(out, assets=False)  # the assets need npm: tests/browser/test_site.py covers them
    assert (out / "index.html").exists() and (out / "solutions" / "index.html").exists()
    assert len(pages) == len(ALL)
    for path in ALL:
        rel = Path("solutions") if path.parent.name == "solutions" else Path()
        page = out / rel / course_site.page_name(path)
        html = page.read_text()
        for href in re.findall(r'href="([^"]+)"', html):
            if "://" in href or href.startswith(("#", "mailto:", "data:")) or "lite/" in href:
                continue  # lite/ is built by `make lite` (tests/browser/test_lite.py)
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.exists(), f"{page.name}: broken link {href}"
        assert course_site.NO_ALT not in html, f"{page.name}: a figure without alt text"
        assert not re.findall(r'<a href="[^":]*"[^>]*>[^<]*\.ipynb</a>', html), f"{page.name}: a link text says .ipynb"
        assert not re.findall(r'<script[^>]*src="https?:', html), f"{page.name}: a script from another host"
        prefix = "../" if rel.parts else ""
        assert f'src="{prefix}{course_site.MATHJAX}"' in html.replace("&amp;", "&")
        if "widget-view+json" in html:
            assert f"var widgetRendererSrc = '{prefix}{course_site.WIDGETS}'" in html
        if "widget-view+json" in path.read_text():
            assert 'application/vnd.jupyter.widget-state+json' in html, f"{page.name}: widget state not embedded"


def load_ci(name):
    """A .ci/ script as a module, by path (.ci/site.py would clash with the standard-library `site`)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(f"course_{name}", ROOT / ".ci" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_contents_lists_every_notebook():
    contents = json.loads((ROOT / "notebooks" / "00-contents.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in contents["cells"] if c["cell_type"] == "markdown")
    listed = re.findall(r"\]\((\d\d-[\w-]+\.ipynb)\)", text.split("## Contents", 1)[1].split("\n## ", 1)[0])
    expected = [p.name for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) if p.name != "00-contents.ipynb"]
    assert sorted(set(listed)) == expected, "the Contents section must link every notebook (run `make nav`)"


def test_navigation_fills_the_contents_after_its_marker():
    import nbformat
    navigation = load_ci("navigation")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"## Contents\n\n{navigation.TABLE}\nold")])
    navigation.fill_contents(nb, "| a | b |")
    assert nb.cells[0].source == f"## Contents\n\n{navigation.TABLE}\n| a | b |"
    navigation.fill_contents(nb, "| a | b |")
    assert nb.cells[0].source == f"## Contents\n\n{navigation.TABLE}\n| a | b |"


def test_kernel_waits_look_again_every_second_up_to_the_same_deadline():
    """execute.py's guard against the missed wake-up (a cell finished, its reply unseen until the 300 s timeout)."""
    import asyncio
    import time
    from queue import Empty
    execute = load_ci("execute")
    asked = []

    async def reply_on_third_look(timeout=None):
        asked.append(timeout)
        if len(asked) < 3:
            raise Empty
        return "reply"
    assert asyncio.run(execute.polled(reply_on_third_look)(timeout=300)) == "reply"
    assert len(asked) == 3 and all(0 < t <= execute.POLL for t in asked), asked
    asked.clear()
    assert asyncio.run(execute.polled(reply_on_third_look)(timeout=None)) == "reply"  # no deadline: still looks again
    assert all(t == execute.POLL for t in asked), asked

    async def nothing(timeout=None):
        await asyncio.sleep(timeout)
        raise Empty
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(execute.polled(nothing)(timeout=0.3))  # the deadline still holds
    assert time.monotonic() - start < 0.3 + execute.POLL


def test_execute_twice_gives_identical_bytes(tmp_path):
    import nbformat
    execute = load_ci("execute")
    cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.VBox([w.IntSlider(3), w.HTML('<b>x</b>')])", id="a"),
             nbformat.v4.new_code_cell("out = w.Output()\nwith out:\n    display(w.Checkbox(True))\nout", id="b"),
             nbformat.v4.new_code_cell("print(round(0.1 + 0.2, 3))", id="c")]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                        "language": "python"}})
    path = tmp_path / "small.ipynb"
    nbformat.write(nb, path)
    execute.execute(path, timeout=60)  # each cell takes well under a second: a stall fails here, loudly
    first = path.read_bytes()
    execute.execute(path, timeout=60)
    assert path.read_bytes() == first
    stored = json.loads(first)
    state = stored["metadata"]["widgets"][execute.WIDGET_STATE]["state"]
    view = stored["cells"][0]["outputs"][0]["data"][execute.WIDGET_VIEW]["model_id"]
    assert view == execute.stable_id("small.ipynb", "a", 0) and view in state
    refs = set(re.findall(r"IPY_MODEL_([0-9a-f]{32})", first.decode()))
    assert refs <= set(state), "a reference points at no stored model"
