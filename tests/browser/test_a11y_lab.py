"""axe-core in a real JupyterLab, each notebook run with Run All, in the light and the dark theme.

The notebook's content (cells, outputs, widgets: `.jp-Notebook`) must have no critical or serious WCAG 2 A/AA
violation.  JupyterLab's own chrome (menus, side bars, status bar) is measured too and recorded, not asserted:
it is not ours (tests/browser/out/axe-lab-<theme>.json lists it by rule).  In the dark theme every figure must
be opaque (no dark text on a transparent background) and each figure and explorer view is screenshotted to
tests/browser/out/dark/.  JupyterLab runs on 127.0.0.1 (ports 8861-8869) and is stopped by its PID.
"""
import json
from pathlib import Path

import pytest

import test_jupyterlab as lab_recipe
from test_a11y import axe_violations, blocking
from test_jupyterlab import TOKEN, browser_page, running_lab

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
RESULTS = {}


@pytest.fixture(scope="module", params=list(THEMES))
def lab(request, tmp_path_factory):
    theme = request.param
    tmp = tmp_path_factory.mktemp(f"lab-{theme}")
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": THEMES[theme]}))
    original = lab_recipe.free_port
    lab_recipe.free_port = lambda first=8861, last=8869: original(8861, 8869)  # this suite's ports
    try:
        with running_lab(tmp) as url:
            yield theme, url, tmp
    finally:
        lab_recipe.free_port = original
        OUT.mkdir(exist_ok=True)
        (OUT / f"axe-lab-{theme}.json").write_text(json.dumps(RESULTS.get(theme, {}), indent=1, sort_keys=True))


def run_everything(page, url, notebook):
    from playwright.sync_api import expect
    lab_recipe.open_notebook(page, url, notebook)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function("""() => { const p = [...document.querySelectorAll('.jp-InputPrompt')].map(e => e.textContent);
        return p.some(t => /\\[\\d+\\]/.test(t)) && !p.some(t => t.includes('[*]')); }""", timeout=240_000)
    expect(page.locator(".jp-StatusBar-Item", has_text="| Idle").first).to_be_visible(timeout=240_000)
    page.wait_for_timeout(1500)  # widgets draw after the kernel is idle


def scroll_through(page):
    """The notebook is windowed: scroll every cell into view once, so that its outputs are in the page."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    for k in range(cells.count()):
        cells.nth(k).scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def opaque(page, img):
    """True if the <img> has no transparent pixel (read back through a canvas)."""
    return img.evaluate("""im => { const c = document.createElement('canvas'); c.width = im.naturalWidth;
        c.height = im.naturalHeight; const x = c.getContext('2d'); x.drawImage(im, 0, 0);
        const d = x.getImageData(0, 0, c.width, c.height).data;
        for (let k = 3; k < d.length; k += 4) if (d[k] < 250) return false; return true; }""")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_in_jupyterlab_has_no_serious_axe_violation(lab, notebook, tmp_path):
    theme, url, _ = lab
    with browser_page(tmp_path / "profile") as page:
        run_everything(page, url, notebook)
        scroll_through(page)
        everything = axe_violations(page)
        content = axe_violations(page, ".jp-Notebook")
        RESULTS.setdefault(theme, {})[notebook] = {
            "notebook": {v["rule"]: [v["impact"], v["nodes"]] for v in content},
            "whole page": {v["rule"]: [v["impact"], v["nodes"]] for v in everything}}
        problems = blocking(content)
        if theme == "dark":
            shots = OUT / "dark"
            shots.mkdir(parents=True, exist_ok=True)
            stem = Path(notebook).stem
            images = page.locator(".jp-Notebook .jp-OutputArea-output img")
            for k in range(images.count()):
                img = images.nth(k)
                img.scroll_into_view_if_needed()
                img.screenshot(path=str(shots / f"{stem}-figure-{k}.png"))
                if not opaque(page, img):
                    problems.append({"rule": "transparent figure", "impact": "serious", "target": f"img {k}"})
            views = page.locator(".jp-Notebook .widget-tab, .jp-Notebook .widget-vbox:has(.widget-slider)")
            for k in range(views.count()):
                views.nth(k).scroll_into_view_if_needed()
                views.nth(k).screenshot(path=str(shots / f"{stem}-view-{k}.png"))
        assert problems == [], f"{theme} {notebook}: " + json.dumps(problems, indent=1, ensure_ascii=False)
