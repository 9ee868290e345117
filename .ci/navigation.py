"""Generate everything that links the notebooks together, idempotently; `--check` only reports staleness.

- in every notebook: prev / contents / next links (second cell and last cell), and a first code cell,
  hidden in JupyterLab and tagged `hosted-setup` (the static site drops it), that installs helpers
  only inside Colab or JupyterLite;
- in 00-contents.ipynb: the table of notebooks; in README.md: the hosted links and the notebook table.

A notebook's title is the first line of its first cell ("# 02 — ..."), its description the line that
starts with "**Goal:**".  The repository's GitHub location comes from [tool.course] in pyproject.toml;
links that need the published repository (Colab, Binder, the hosted JupyterLite) are written only once
it names a real one, never while it holds the placeholder.
"""
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
CONTENTS = "00-contents.ipynb"
NAV, TABLE = "<!--NAVIGATION-->", "<!--CONTENTS-->"
SETUP_ID, SETUP_TAG = "colab-setup", "hosted-setup"
PLACEHOLDER = "your-org/"
COURSE = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]
SLUG, BRANCH = COURSE["github"], COURSE["branch"]
OWNER, REPO = SLUG.split("/")
PUBLISHED = not SLUG.startswith(PLACEHOLDER)
SITE_URL = f"https://{OWNER}.github.io/{REPO}/"  # where .github/workflows/pages.yml publishes _site/
LITE_PACKAGES = '["ipywidgets", "matmul-gradient-helpers"]'
COLAB_INSTALL = f'''    import importlib  # by name: Pyodide would fetch protobuf for `import google...`
    import subprocess

    url = "git+https://github.com/{SLUG}.git@{BRANCH}"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", url], check=True)
    importlib.import_module("google.colab.output").enable_custom_widget_manager()'''
COLAB_UNPUBLISHED = '''    raise ModuleNotFoundError("helpers is not published yet: upload this repository"
                              " to Colab and `pip install -e .` it, or run it locally")'''
SETUP_CELL = f'''# Hosted set-up: installs helpers in Colab or JupyterLite; does nothing elsewhere.
import sys

if "google.colab" in sys.modules:
{COLAB_INSTALL if PUBLISHED else COLAB_UNPUBLISHED}
elif sys.platform == "emscripten":  # JupyterLite; numpy & matplotlib come from Pyodide
    import piplite

    await piplite.install({LITE_PACKAGES})'''
COLAB_CELL = SETUP_CELL  # the name other scripts and tests know


def colab_url(rel):
    return f"https://colab.research.google.com/github/{SLUG}/blob/{BRANCH}/{rel}"


def colab_badge(rel):
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(rel)})"


def lite_url(rel):
    """The notebook in JupyterLite (published with the site under lite/); rel is relative to notebooks/."""
    return f"{SITE_URL}lite/lab/index.html?path={rel}"


def lite_link(rel):
    return f"[Run in your browser — no install]({lite_url(rel)})"


def binder_badge():
    url = f"https://mybinder.org/v2/gh/{SLUG}/{BRANCH}?urlpath=lab/tree/notebooks/{CONTENTS}"
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({url})"


def hosted_block():
    """README's hosted links: Binder and the published JupyterLite, or what to do until they exist."""
    if PUBLISHED:
        return (f"{binder_badge()} [Run in your browser — no install]({lite_url(CONTENTS)}) (JupyterLite: Python"
                f" runs in the browser tab itself; published with the [static site]({SITE_URL})).")
    return ("Binder, Colab and hosted JupyterLite links appear here once `[tool.course] github` in"
            " `pyproject.toml` names the published repository (then `make nav`). Until then: `make lab`, or"
            " `make site` and `make lite` for the static pages and the in-browser version in `_site/`.")


def notebooks():
    return sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))


def title_and_goal(nb):
    text = nb.cells[0].source
    title = text.splitlines()[0].lstrip("# ").strip()
    goal = re.search(r"^\*\*Goal:\*\*\s*(.+)$", text, re.M)
    return title, goal.group(1).strip() if goal else ""


def nav_links(paths, k, titles):
    parts = []
    if k > 0:
        parts.append(f"&lt; [{titles[k - 1]}]({paths[k - 1].name})")
    if paths[k].name != CONTENTS:
        parts.append(f"[Contents]({CONTENTS})")
    if k + 1 < len(paths):
        parts.append(f"[{titles[k + 1]}]({paths[k + 1].name}) &gt;")
    return " | ".join(parts)


def table(paths, titles, goals, prefix=""):
    """The notebook table; with a prefix (for README.md) and a published repository each row also gets
    its Colab badge and JupyterLite link."""
    if not (prefix and PUBLISHED):
        rows = [f"| [{t}]({prefix}{p.name}) | {g} |" for p, t, g in zip(paths, titles, goals)]
        return "| notebook | what you will do |\n|---|---|\n" + "\n".join(rows)
    rows = [f"| [{t}]({prefix}{p.name}) | {g} | {colab_badge(prefix + p.name)} [in your browser]({lite_url(p.name)}) |"
            for p, t, g in zip(paths, titles, goals)]
    return "| notebook | what you will do | open in |\n|---|---|---|\n" + "\n".join(rows)


def fill_contents(nb, block):
    """Everything after the contents marker (wherever it stands in its cell) becomes the table."""
    cells = [c for c in nb.cells if c.cell_type == "markdown" and TABLE in c.source]
    if len(cells) != 1:
        raise SystemExit(f"{CONTENTS}: expected one markdown cell holding {TABLE}, found {len(cells)}")
    head = cells[0].source.split(TABLE, 1)[0]
    cells[0].source = f"{head}{TABLE}\n{block}"


def setup_cell(old):
    """The hosted set-up cell: hidden in JupyterLab (its first line stays visible), tagged for the site."""
    cell = nbformat.v4.new_code_cell(SETUP_CELL, id=SETUP_ID)
    cell.metadata = {"jupyter": {"source_hidden": True}, "tags": [SETUP_TAG]}
    if old is not None and old.source == SETUP_CELL:  # keep the stored count and outputs of an unchanged cell
        cell.execution_count, cell.outputs = old.execution_count, old.outputs
    return cell


def set_generated_cells(nb, rel, links):
    """Badge + links second and last; the hosted set-up cell as the first code cell."""
    old = next((c for c in nb.cells if c.get("id") == SETUP_ID), None)
    nb.cells = [c for c in nb.cells if c.get("id") not in ("nav-top", "nav-bottom", SETUP_ID)
                and not (c.cell_type == "markdown" and c.source.startswith(NAV))]
    hosted = f"{colab_badge(rel)} {lite_link(rel.removeprefix('notebooks/'))}" if PUBLISHED else ""
    top = [nbformat.v4.new_markdown_cell(f"{NAV}\n" + "<br>".join(filter(None, [hosted, links])), id="nav-top")]
    cells = (top if hosted or links else []) + [setup_cell(old)] + nb.cells[1:]
    if links:
        cells.append(nbformat.v4.new_markdown_cell(f"{NAV}\n{links}", id="nav-bottom"))
    nb.cells = nb.cells[:1] + cells


def update(path, nb, rel, links, stale, check):
    before = nbformat.writes(nb)
    set_generated_cells(nb, rel, links)
    after = nbformat.writes(nb)
    if after != before:
        stale.append(path.relative_to(ROOT))
        if not check:
            path.write_text(after if after.endswith("\n") else after + "\n")


def main(check):
    paths = notebooks()
    nbs = [nbformat.read(p, as_version=4) for p in paths]
    titles, goals = zip(*(title_and_goal(nb) for nb in nbs))
    stale = []
    for k, (path, nb) in enumerate(zip(paths, nbs)):
        if path.name == CONTENTS:
            fill_contents(nb, table(paths[1:], titles[1:], goals[1:]))
        update(path, nb, f"notebooks/{path.name}", nav_links(paths, k, titles), stale, check)
    for path in sorted((NB_DIR / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        update(path, nb, f"notebooks/solutions/{path.name}", "", stale, check)
    readme = ROOT / "README.md"
    text = new = readme.read_text()
    for name, block in (("notebooks", table(paths, titles, goals, "notebooks/")), ("badges", hosted_block())):
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        new = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{block}\n{end}", new, flags=re.S)
    if new != text:
        stale.append("README.md")
        if not check:
            readme.write_text(new)
    if stale:
        print(("stale (run `make nav`): " if check else "updated: ") + ", ".join(map(str, stale)))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
