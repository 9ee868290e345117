"""Build a static HTML version of every notebook into _site/ (or the folder given as argument).

Stored outputs and widget state are embedded (nbconvert's lab template), 00-contents becomes index.html,
links between notebooks are rewritten from .ipynb to .html so prev / next work on the site, and each
figure gets its caption (the "*Figure: ...*" cell after it) as alt text.
"""
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
NO_ALT = 'alt="No description has been provided for this image"'


def page_name(path):
    return "index.html" if path.name == "00-contents.ipynb" else path.with_suffix(".html").name


def rewrite_links(html):
    """href="x.ipynb" -> "x.html" for local notebooks; the contents page is index.html."""
    def local(match):
        target = match.group(2)
        if "://" in target:
            return match.group(0)
        target = re.sub(r"(^|/)00-contents\.ipynb", r"\1index.ipynb", target)
        return f'{match.group(1)}{target[:-len(".ipynb")]}.html"'
    html = re.sub(r'(href=")([^"#]*?\.ipynb)"', local, html)
    return re.sub(r'href="solutions/"', 'href="solutions/index.html"', html)


def captions(nb):
    """The caption after each image output, in order ("Figure" where a figure has none)."""
    found = []
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                nxt = nb.cells[k + 1] if k + 1 < len(nb.cells) else None
                text = nxt.source.strip("* \n") if nxt is not None and nxt.cell_type == "markdown" else ""
                found.append(text if text.startswith("Figure:") else "Figure")
    return found


def add_alt_text(html, texts):
    """Give the images nbconvert left without a description their captions, in order."""
    symbols = {r"^\top": "ᵀ", r"\le": "≤", r"\ge": "≥", r"\odot": "⊙", r"\partial": "∂", r"\times": "×"}
    for text in texts:
        for tex, char in symbols.items():
            text = text.replace(tex, char)
        clean = re.sub(r"[$\\{}]", "", text).replace('"', "'")
        html = html.replace(NO_ALT, f'alt="{clean}"', 1)
    return html


def solutions_index(paths):
    items = "".join(f'<li><a href="{p.with_suffix(".html").name}">{p.stem}</a></li>' for p in paths)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Solutions</title></head><body>"
            f"<h1>Solutions</h1><p><a href='../index.html'>Back to the contents</a></p><ul>{items}</ul></body></html>")


def build(out):
    exporter = HTMLExporter(template_name="lab")
    exporter.log.setLevel("ERROR")  # its "alternative text is missing" warning is answered below
    written = []
    for folder, target in ((NB_DIR, out), (NB_DIR / "solutions", out / "solutions")):
        target.mkdir(parents=True, exist_ok=True)
        paths = sorted(folder.glob("*.ipynb"))
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            html, _ = exporter.from_notebook_node(nb)
            page = target / page_name(path)
            page.write_text(add_alt_text(rewrite_links(html), captions(nb)))
            written.append(page)
        if folder.name == "solutions":
            (target / "index.html").write_text(solutions_index(paths))
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_site"
    pages = build(out)
    print(f"{len(pages)} pages in {out}; open {out / 'index.html'}")
