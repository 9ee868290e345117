"""Build a static HTML version of every notebook into _site/ (or the folder given as argument).

Stored outputs and widget state are embedded (nbconvert's lab template), 00-contents becomes index.html,
links between notebooks are rewritten from .ipynb to .html so prev / next work on the site, and each
figure gets its caption (the "*Figure: ...*" cell after it, TeX said as words) as alt text.  Cells tagged
`hosted-setup` (the Colab / JupyterLite set-up) are left out; each page links to its notebook in this site's
own JupyterLite build (lite/, `make lite`) by a relative path.

Accessibility (axe-core, WCAG 2 A/AA, tests/browser/test_site.py): the code highlighting's colours are
darkened to 4.6:1 on the code background, prompts drawn at full opacity, links underlined, every page has
`lang`, and slider handles are named after their labels (helpers.a11y).

Everything a page loads at view time is a local file under assets/: MathJax 2 (nbconvert's template
configures MathJax 2), require.js and the widget renderer (@jupyter-widgets/html-manager), copied from the
npm packages pinned in package-lock.json (`make site` installs them with `npm ci` into build/npm/).
Only the files the pages request are copied (MathJax alone is 73 MB unpacked).
"""
import re
import shutil
import sys
import tomllib
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from helpers.a11y import NAME_SLIDERS_SCRIPT, darken, words

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
NODE_MODULES = ROOT / "build" / "npm" / "node_modules"
NO_ALT = 'alt="No description has been provided for this image"'
OWNER, REPO = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]["github"].split("/")
SITE_URL = f"https://{OWNER}.github.io/{REPO}/"  # the published site (.github/workflows/pages.yml)
PLACEHOLDER = "your-org/"  # [tool.course] github before publication: links to it lead nowhere
SETUP_TAG = "hosted-setup"
LITE = "Run in your browser — no install"

# npm package -> the files of it the pages request (glob patterns), copied to assets/<short name>/.
ASSETS = {
    "mathjax": ("mathjax", [
        "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/*.js", "extensions/TeX/*.js",
        "jax/input/TeX/**/*", "jax/output/CommonHTML/**/*", "jax/element/**/*", "fonts/HTML-CSS/TeX/woff/**/*",
        "localization/en/**/*", "LICENSE"]),
    "@jupyter-widgets/html-manager": ("html-manager", ["dist/embed-amd.js", "dist/*.woff2", "dist/*.woff"]),
    "requirejs": ("requirejs", ["require.js"]),
}
MATHJAX = "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIREJS = "assets/requirejs/require.js"
WIDGETS = "assets/html-manager/dist/embed-amd.js"


def page_name(path):
    return "index.html" if path.name == "00-contents.ipynb" else path.with_suffix(".html").name


def rewrite_links(html, prefix=""):
    """href="x.ipynb" -> "x.html" for local notebooks (and a link text naming the file, too); the contents
    page is index.html."""
    def html_name(target):
        target = re.sub(r"(^|/)00-contents\.ipynb", r"\1index.ipynb", target)
        return target[:-len(".ipynb")] + ".html"

    def local(match):
        target, anchor, attrs, text = match.group(1), match.group(2) or "", match.group(3), match.group(4)
        if "://" in target:
            return match.group(0)
        if text.endswith(".ipynb") and "<" not in text:
            text = html_name(text)
        return f'<a href="{html_name(target)}{anchor}"{attrs}>{text}</a>'
    # x.ipynb and x.ipynb#heading, in double or single quotes (check tables link to 00's definitions)
    html = re.sub(r"""<a href=["']([^"'#]*?\.ipynb)(#[^"']*)?["']([^>]*)>(.*?)</a>""", local, html, flags=re.S)
    # what is left is inside stored widget state (escaped quotes): the address alone
    html = re.sub(r"""(href=\\?["'])([^"'#:\\]*?\.ipynb)""", lambda m: m.group(1) + html_name(m.group(2)), html)
    html = html.replace(f'href="{SITE_URL}', f'href="{prefix}')  # the JupyterLite links stay on this copy
    html = re.sub(r'<a href="[^"]*' + re.escape(PLACEHOLDER) + r'[^"]*"[^>]*>.*?</a>\s*', "", html, flags=re.S)
    return re.sub(r'href="solutions/"', 'href="solutions/index.html"', html)


def lite_link(html, prefix, notebook):
    """A link to the notebook in this site's own JupyterLite build, first in the navigation (if none is)."""
    if "lite/lab/index.html" in html:
        return html
    link = f'<a href="{prefix}lite/lab/index.html?path={notebook}">{LITE}</a> (JupyterLite)<br/>'
    return re.sub(r"(<!--NAVIGATION-->\s*<p>)", lambda m: m.group(1) + link, html, count=1)


STYLE = """<style>
/* tables size to their content (the lab template fixes their layout, which stretches short columns) */
.jp-RenderedHTMLCommon table { table-layout: auto; width: auto; }
.jp-RenderedHTMLCommon td .MathJax_CHTML, .jp-RenderedHTMLCommon th .MathJax_CHTML { white-space: nowrap; }
/* WCAG AA: prompts at full strength (#616161 on white, 6.2:1), links told apart without colour,
   unselected widget tabs in the body text colour */
:root { --jp-cell-prompt-not-active-opacity: 1; %s }
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
body .jupyter-widgets.widget-tab > .lm-TabBar .lm-TabBar-tab { color: var(--jp-ui-font-color1); }
</style>
"""
CODE_BACKGROUND = "#f5f5f5"  # the lab template's --jp-cell-editor-background (--md-grey-100)


def highlight_colours(html):
    """The template's code-highlighting colours (--jp-mirror-editor-*-color, hex), each darkened to 4.6:1 on
    the code background where it is lighter (the light theme's comment #408080 is 4.2:1, operators 4.4:1)."""
    found = dict(re.findall(r"(--jp-mirror-editor-[a-z-]+-color):\s*(#[0-9a-fA-F]{3,6})\s*;", html))
    return " ".join(f"{name}: {darken(colour, CODE_BACKGROUND)};" for name, colour in sorted(found.items()))


def polish(html):
    """Keep short formulas on one line (MathJax's automatic line breaks split `(m, n)` inside table cells),
    let tables size to their content, make the page meet WCAG AA contrast, and name slider handles."""
    html = re.sub(r"(CommonHTML: \{\s*linebreaks: \{\s*automatic: )true", r"\1false", html, count=1)
    html = html.replace("</head>", STYLE % highlight_colours(html) + "</head>", 1)
    if "SliderModel" in html:
        html = html.replace("</body>", NAME_SLIDERS_SCRIPT + "</body>", 1)
    return html


def captions(nb):
    """The caption after each PNG nbconvert shows as an image, in order ("Figure" where a figure has none)."""
    found = []
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}) and "text/html" not in out["data"]:  # html has its own alt
                nxt = nb.cells[k + 1] if k + 1 < len(nb.cells) else None
                text = nxt.source.strip("* \n") if nxt is not None and nxt.cell_type == "markdown" else ""
                found.append(text if text.startswith("Figure:") else "Figure")
    return found


def add_alt_text(html, texts):
    """Give the images nbconvert left without a description their captions, in order."""
    for text in texts:
        clean = words(text).replace('"', "'").replace("<", "&lt;")
        html = html.replace(NO_ALT, f'alt="{clean}"', 1)
    return html


def solutions_index(paths):
    items = "".join(f'<li><a href="{p.with_suffix(".html").name}">{p.stem}</a></li>' for p in paths)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Solutions</title></head><body>"
            f"<h1>Solutions</h1><p><a href='../index.html'>Back to the contents</a></p><ul>{items}</ul></body></html>")


def copy_assets(out, node_modules=NODE_MODULES):
    """Copy the requested files of each pinned npm package to out/assets/; returns the bytes copied."""
    total = 0
    for package, (short, patterns) in ASSETS.items():
        src = node_modules / package
        if not src.is_dir():
            raise SystemExit(f"{src} is missing: run `make site` (it installs the pinned npm packages with npm ci)")
        for pattern in patterns:
            files = [f for f in src.glob(pattern) if f.is_file()]
            if not files:
                raise SystemExit(f"{package}: nothing matches {pattern}")
            for f in files:
                dest = out / "assets" / short / f.relative_to(src)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
                total += f.stat().st_size
    return total


def exporter_for(prefix):
    """nbconvert's lab template with every script URL pointing at local assets (prefix: "" or "../")."""
    exporter = HTMLExporter(template_name="lab", mathjax_url=prefix + MATHJAX, require_js_url=prefix + REQUIREJS,
                            widget_renderer_url=prefix + WIDGETS)
    exporter.log.setLevel("ERROR")  # its "alternative text is missing" warning is answered below
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SETUP_TAG}), enabled=True)
    return exporter


def build(out, assets=True):
    """Write every page (and, with assets=True, the local assets they load); returns the pages written."""
    written = []
    for folder, target, prefix in ((NB_DIR, out, ""), (NB_DIR / "solutions", out / "solutions", "../")):
        target.mkdir(parents=True, exist_ok=True)
        exporter = exporter_for(prefix)
        paths = sorted(folder.glob("*.ipynb"))
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            html, _ = exporter.from_notebook_node(nb)
            page = target / page_name(path)
            notebook = path.relative_to(NB_DIR).as_posix()
            html = lite_link(rewrite_links(html, prefix), prefix, notebook)
            page.write_text(polish(add_alt_text(html, captions(nb))))
            written.append(page)
        if folder.name == "solutions":
            (target / "index.html").write_text(solutions_index(paths))
    (out / ".nojekyll").write_text("")
    if assets:
        copy_assets(out)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_site"
    pages = build(out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file() and "lite" not in f.relative_to(out).parts)
    print(f"{len(pages)} pages in {out} ({size / 1e6:.1f} MB with their assets); open {out / 'index.html'}")
