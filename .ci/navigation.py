"""Write the prev / contents / next links into every notebook, the contents table into
00-contents.ipynb and the notebook list into README.md.  Idempotent; `--check` only reports staleness.

A notebook's title is the first line of its first cell ("# 02 — ..."), its one-line description the
line that starts with "**Goal:**".  Only markdown is touched, so stored outputs stay valid.
"""
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
CONTENTS = "00-contents.ipynb"
NAV = "<!--NAVIGATION-->"
TABLE = "<!--CONTENTS-->"
README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"


def notebooks():
    return sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))


def title_and_goal(nb):
    text = nb.cells[0].source
    title = text.splitlines()[0].lstrip("# ").strip()
    goal = re.search(r"^\*\*Goal:\*\*\s*(.+)$", text, re.M)
    return title, goal.group(1).strip() if goal else ""


def nav_line(paths, k, titles):
    parts = []
    if k > 0:
        parts.append(f"&lt; [{titles[k - 1]}]({paths[k - 1].name})")
    if paths[k].name != CONTENTS:
        parts.append(f"[Contents]({CONTENTS})")
    if k + 1 < len(paths):
        parts.append(f"[{titles[k + 1]}]({paths[k + 1].name}) &gt;")
    return f"{NAV}\n" + " | ".join(parts)


def table(paths, titles, goals, link_prefix=""):
    rows = [f"| [{t}]({link_prefix}{p.name}) | {g} |" for p, t, g in zip(paths, titles, goals)]
    return "| notebook | what you will do |\n|---|---|\n" + "\n".join(rows)


def set_nav_cells(nb, line):
    """Put the navigation cell second (after the title) and last, replacing older ones."""
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and c.source.startswith(NAV))]
    top = nbformat.v4.new_markdown_cell(line, id="nav-top")
    bottom = nbformat.v4.new_markdown_cell(line, id="nav-bottom")
    nb.cells = nb.cells[:1] + [top] + nb.cells[1:] + [bottom]


def main(check):
    paths = notebooks()
    nbs = [nbformat.read(p, as_version=4) for p in paths]
    titles, goals = zip(*(title_and_goal(nb) for nb in nbs))
    stale = []
    for k, (path, nb) in enumerate(zip(paths, nbs)):
        before = nbformat.writes(nb)
        set_nav_cells(nb, nav_line(paths, k, titles))
        if path.name == CONTENTS:
            for cell in nb.cells:
                if cell.cell_type == "markdown" and cell.source.startswith(TABLE):
                    cell.source = f"{TABLE}\n" + table(paths[1:], titles[1:], goals[1:])
        after = nbformat.writes(nb)
        if after != before:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.write_text(after + "\n" if not after.endswith("\n") else after)
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = f"{README_START}\n{table(paths, titles, goals, 'notebooks/')}\n{README_END}"
    new = re.sub(re.escape(README_START) + ".*?" + re.escape(README_END), lambda _: block, text, flags=re.S)
    if new != text:
        stale.append("README.md")
        if not check:
            readme.write_text(new)
    if stale:
        print(("stale (run `make nav`): " if check else "updated: ") + ", ".join(map(str, stale)))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
