"""No dead links: every link in README.md, the notebooks (and the built site, if _site/ exists) resolves.

Local links must name a file or folder that exists (and, for a notebook anchor, one of its headings);
no link may point at the placeholder repository (`your-org/...`): links that need the published address
are written by .ci/navigation.py only once [tool.course] github names a real repository.
"""
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
SITE = Path(os.environ.get("COURSE_SITE", ROOT / "_site")).resolve()  # another build: COURSE_SITE=dir
PLACEHOLDERS = ("your-org", "<owner>", "<repo>")
SCHEMES = ("http", "https", "mailto", "data")


def markdown_of(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text()


def without_code(text):
    """Markdown with fenced blocks and `code spans` removed: what is written there is not a link."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def markdown_links(text):
    text = without_code(text)
    found = re.findall(r"\]\(\s*<?([^()\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)  # [text](target), ![alt](src)
    found += re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", text)  # inline HTML
    found += re.findall(r"<(https?://[^>\s]+)>", text)  # autolinks
    return found


def anchor(heading):
    """The id JupyterLab and nbconvert give a heading: its text, spaces replaced by hyphens."""
    return heading.strip().replace(" ", "-")


def headings(path):
    text = without_code(markdown_of(path))
    return {anchor(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M)}


def problems(source, target, base):
    """What is wrong with one link target found in `source` (a list of sentences, empty if nothing)."""
    if any(p in target for p in PLACEHOLDERS):
        return [f"{source}: link to a placeholder: {target}"]
    parsed = urlparse(target)
    if parsed.scheme in SCHEMES or target.startswith("//"):
        return []
    path, fragment = unquote(parsed.path), unquote(parsed.fragment)
    file = (base / path).resolve() if path else None
    if file is not None and not file.exists():
        if SITE in file.parents and "lite" in file.relative_to(SITE).parts and not (SITE / "lite").exists():
            return []  # the JupyterLite build is made by `make lite` (tests/browser/test_lite.py)
        return [f"{source}: broken link {target} (no {file.relative_to(ROOT) if ROOT in file.parents else file})"]
    here = file or Path(source)
    if fragment and here.suffix in (".ipynb", ".md") and here.exists() and fragment not in headings(here):
        return [f"{source}: {target}: no heading with the anchor #{fragment}"]
    return []


def sources():
    return [ROOT / "README.md"] + NOTEBOOKS


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_and_none_points_at_a_placeholder(path):
    bad = [msg for target in markdown_links(markdown_of(path))
           for msg in problems(str(path.relative_to(ROOT)), target, path.parent)]
    assert not bad, "\n".join(bad)


def output_links(path):
    """Links in a notebook's stored HTML outputs (check tables link to 00's definitions)."""
    found = []
    for cell in json.loads(path.read_text())["cells"]:
        for out in cell.get("outputs", []):
            found += re.findall(r"""href\s*=\s*["']([^"']+)["']""", "".join(out.get("data", {}).get("text/html", "")))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_in_stored_outputs_resolves(path):
    bad = [msg for target in output_links(path) for msg in problems(str(path.relative_to(ROOT)), target, path.parent)]
    assert not bad, "\n".join(sorted(set(bad)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_placeholder_address_in_code_either(path):
    """The hosted set-up cell must not pip-install from the placeholder repository."""
    cells = json.loads(path.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert not any(p in code for p in PLACEHOLDERS[:1]), f"{path.name}: a placeholder address in code"


def site_pages():
    return sorted(SITE.glob("*.html")) + sorted((SITE / "solutions").glob("*.html")) if SITE.is_dir() else []


@pytest.mark.skipif(not site_pages(), reason="_site/ is not built (make site)")
def test_every_link_of_the_built_site_resolves():
    bad = []
    for page in site_pages():
        html = page.read_text()
        for target in re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", html):
            target = target.replace("&amp;", "&")
            if "#" in target and not target.split("#")[0]:
                continue  # an anchor within the page (MathJax, nbconvert's heading links)
            bad += problems(str(page.relative_to(ROOT)), target.split("#")[0], page.parent)
    assert not bad, "\n".join(bad[:20])


def test_the_checker_of_this_test_finds_what_it_should(tmp_path):
    text = ("[ok](README.md) [dead](nope.ipynb) [![b](https://x/y.svg)](https://github.com/your-org/r)"
            " `[not a link](code.ipynb)` <a href='also-dead.html'>x</a> [anchor](README.md#No-such-heading)")
    found = markdown_links(text)
    assert "code.ipynb" not in found
    bad = [m for t in found for m in problems("t.md", t, ROOT)]
    assert len(bad) == 4, bad  # nope.ipynb, the placeholder, also-dead.html, the anchor
    assert "How-to-read-a-check" in headings(ROOT / "notebooks" / "00-contents.ipynb")
