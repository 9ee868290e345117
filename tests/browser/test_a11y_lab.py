"""axe-core in a real JupyterLab: each notebook run (Run All), then checked in the light and in the dark theme.

The notebooks are split into groups, each run on one pytest-xdist worker, the groups in parallel (conftest.py's
scheduler).  In each group one JupyterLab (ports 8861-8869, moved up by 100 a worker; stopped by its PID) and
one page serve its notebooks in turn: a notebook is opened, run, checked light, switched to dark (the theme
command, no re-run), checked, then closed with its kernel shut down.  JupyterLab serves a copy of notebooks/
(autosave off), so the tree's notebooks are never written.  Windowing is off so that every output is laid
out for axe (JupyterLab's default skips the rendering of cells out of view); the outputs' markup is the same
either way.

Asserted, in each theme: the notebook's content -- what the notebooks and helpers put on the page, the cells'
outputs and rendered Markdown -- has no critical or serious WCAG 2 A/AA violation; every slider handle is named
after its label; in the dark theme every figure is opaque (no dark text on a transparent background) and every
explorer view (each tab) passes axe's colour contrast.  JupyterLab's own chrome (cell editors, the cell feed,
menus, toolbars), the same around every notebook, is measured around the explorer's notebook (CHROME_NOTEBOOK)
and recorded by rule in tests/browser/out/axe-lab.json, not asserted: it is not ours.  Screenshots of the dark
figures and views land in tests/browser/out/dark/.
"""
import json
import os
import shutil
import time
from pathlib import Path

import pytest

import test_jupyterlab as lab_recipe
from axe import OUT, axe_violations, blocking, by_rule, record
from test_jupyterlab import TOKEN, browser_page, running_lab, worker_index

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CONTENT = [".jp-Notebook .jp-OutputArea", ".jp-Notebook .jp-MarkdownOutput"]  # ours; the rest is JupyterLab's
DARK_RULES = ["color-contrast", "link-in-text-block"]  # the WCAG 2 A/AA rules that depend on colour
EXPLORER_NOTEBOOK = CHROME_NOTEBOOK = "notebooks/06-matrix-form.ipynb"
RESULTS = {}
SETTINGS = {
    "apputils-extension/notification": {"fetchNews": "false"},
    "apputils-extension/themes": {"theme": THEMES["light"]},
    "docmanager-extension/plugin": {"autosave": False},
    "notebook-extension/tracker": {"windowingMode": "none"},
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(page, url): one JupyterLab over a copy of notebooks/, one browser page; both stopped afterwards."""
    tmp = tmp_path_factory.mktemp("a11y-lab")
    root = tmp / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    for name, values in SETTINGS.items():
        folder, plugin = name.split("/")
        (tmp / "settings" / "@jupyterlab" / folder).mkdir(parents=True, exist_ok=True)
        (tmp / "settings" / "@jupyterlab" / folder / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))
    config = tmp / "config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({"LabApp": {"expose_app_in_browser": True}}))
    original, saved_config = lab_recipe.free_port, os.environ.get("JUPYTER_CONFIG_DIR")
    lab_recipe.free_port = lambda first=8861, last=8869: original(8861, 8869)  # this suite's ports (+100/worker)
    os.environ["JUPYTER_CONFIG_DIR"] = str(config)  # window.jupyterapp, for the theme and close commands
    started = time.monotonic()
    try:
        with running_lab(tmp, root=root) as url, browser_page(tmp / "profile") as page:
            page.on("dialog", lambda dialog: dialog.accept())
            page.goto(f"{url}/lab?token={TOKEN}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
            page.evaluate("() => window.jupyterapp.restored")
            page.wait_for_function("""() => ['apputils:change-theme', 'notebook:run-all-cells', 'docmanager:open']
                .every(c => window.jupyterapp.commands.hasCommand(c))""", timeout=60_000)
            yield page, url
    finally:
        lab_recipe.free_port = original
        if saved_config is None:
            os.environ.pop("JUPYTER_CONFIG_DIR", None)
        else:
            os.environ["JUPYTER_CONFIG_DIR"] = saved_config
        RESULTS[f"seconds, whole run of worker {worker_index()}"] = round(time.monotonic() - started, 1)
        record("axe-lab.json", RESULTS)


def set_theme(page, theme):
    page.evaluate("name => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})",
                  THEMES[theme])
    page.wait_for_function("name => document.body.dataset.jpThemeName === name", arg=THEMES[theme], timeout=30_000)
    page.wait_for_timeout(500)  # the theme's stylesheet applied


def open_and_run(page, notebook):
    """Open `notebook` (a path under the served root), Run All Cells, wait until the kernel is idle with every
    code cell run and the widgets drawn."""
    page.evaluate("""async path => { const app = window.jupyterapp;
        const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
        await panel.context.ready; await panel.sessionContext.ready; app.shell.activateById(panel.id);
        await app.commands.execute('notebook:run-all-cells'); }""", notebook)
    page.wait_for_function("""() => { const p = window.jupyterapp.shell.currentWidget;
        const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
        if (!k || k.status !== 'idle') return false;
        const cells = p.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.source.trim());
        return cells.length > 0 && cells.every(c => c.model.executionCount !== null); }""", timeout=300_000,
        polling=100)  # every 100 ms, not every frame: the test's own polling is CPU the notebook needs
    wait_for_widgets(page)


def wait_for_widgets(page):
    """Widgets draw after the kernel is idle: wait until every widget output holds its view, then a moment for
    the views to lay out (the explorer fills its tabs once drawn)."""
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'
        + '[data-mime-type="application/vnd.jupyter.widget-view+json"]')]
        .every(o => o.querySelector('.jupyter-widgets'))""", timeout=60_000, polling=100)
    page.wait_for_timeout(500)


def close_current(page):
    """Shut the current notebook's kernel down and close it unsaved (autosave is off: the copy stays as is)."""
    page.evaluate("""async () => { const p = window.jupyterapp.shell.currentWidget;
        await p.sessionContext.shutdown(); p.context.model.dirty = false; p.dispose(); }""")


def unnamed_sliders(page):
    """Slider handles in the outputs whose accessible name is not their slider's label."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea .widget-slider')]
        .flatMap(s => { const label = (s.querySelector('.widget-label') || {}).textContent || '';
          return [...s.querySelectorAll('[role=slider]')].filter(h => !label.trim()
            || h.getAttribute('aria-label') !== label.trim()).map(h => label || '(no label)'); })""")


def opaque(img):
    """True if the <img> has no transparent pixel (read back through a canvas)."""
    return img.evaluate("""im => { const c = document.createElement('canvas'); c.width = im.naturalWidth;
        c.height = im.naturalHeight; const x = c.getContext('2d'); x.drawImage(im, 0, 0);
        const d = x.getImageData(0, 0, c.width, c.height).data;
        for (let k = 3; k < d.length; k += 4) if (d[k] < 250) return false; return true; }""")


def reveal_to_axe(page):
    """JupyterLab's <body> is 0 px high with overflow hidden (its shell is positioned absolutely); axe takes
    that as clipping everything inside and silently skips the notebook for colour contrast.  A body as high
    as the window changes nothing on screen and lets axe see the outputs."""
    page.evaluate("() => { document.body.style.minHeight = '100vh'; }")


def links_styled_by_jupyterlab(page):
    """True if every link in rendered Markdown and HTML has JupyterLab's link colour and no underline of ours."""
    return page.evaluate("""() => { const probe = document.createElement('span');
        probe.style.color = 'var(--jp-content-link-color)'; document.body.appendChild(probe);
        const theme = getComputedStyle(probe).color; probe.remove();
        return [...document.querySelectorAll('.jp-Notebook .jp-RenderedHTMLCommon a')].every(a =>
          getComputedStyle(a).color === theme && getComputedStyle(a).textDecorationLine === 'none'); }""")


def check_theme(page, notebook, theme):
    """axe over the content (asserted) and, around one notebook, JupyterLab's chrome (recorded); in dark,
    figures and views too.  The dark theme changes colours only, not the page's structure: there axe runs its
    colour rules (DARK_RULES) again, the light theme all of WCAG 2 A/AA."""
    reveal_to_axe(page)
    seen = {}
    rules = None if theme == "light" else DARK_RULES
    content = axe_violations(page, CONTENT, rules=rules, seen=seen)
    chrome = axe_violations(page, {"exclude": CONTENT}, rules=rules) if notebook == CHROME_NOTEBOOK else []
    jupyterlab_links = []
    if any(v["rule"] == "link-in-text-block" for v in content) and links_styled_by_jupyterlab(page):
        # JupyterLab draws every link in rendered Markdown and HTML in its link colour, not underlined: 1.9:1
        # against the text in Light, 1.7-2.2:1 in Dark (its stylesheet; the static site underlines them)
        jupyterlab_links = [v for v in content if v["rule"] == "link-in-text-block"]
        content = [v for v in content if v["rule"] != "link-in-text-block"]
    entry = RESULTS.setdefault(notebook, {})[theme] = {"content": by_rule(content), "content seen": seen}
    if jupyterlab_links:
        entry["JupyterLab's link style (not asserted)"] = by_rule(jupyterlab_links)
    if notebook == CHROME_NOTEBOOK:
        entry["JupyterLab (not asserted)"] = by_rule(chrome)
    problems = blocking(content)
    problems += [{"rule": "slider handle without its label as name", "impact": "serious", "target": label}
                 for label in unnamed_sliders(page)]
    if theme == "dark":
        problems += check_dark_figures_and_views(page, Path(notebook).stem)
    return problems


def check_dark_figures_and_views(page, stem):
    shots = OUT / "dark"
    shots.mkdir(parents=True, exist_ok=True)
    problems = []
    images = page.locator(".jp-Notebook .jp-OutputArea-output img:visible")  # figures and the Jacobian picture
    for k in range(images.count()):
        img = images.nth(k)
        img.scroll_into_view_if_needed(timeout=10_000)
        img.screenshot(path=str(shots / f"{stem}-figure-{k}.png"))
        if not opaque(img):
            problems.append({"rule": "transparent figure", "impact": "serious", "target": f"{stem} img {k}"})
    tabs = page.locator(".jp-Notebook .jp-OutputArea-output .widget-tab")
    for t in range(tabs.count()):
        labels = tabs.nth(t).locator(".lm-TabBar-tab")
        for k in range(labels.count()):
            labels.nth(k).click()
            page.wait_for_timeout(300)
            shown = tabs.nth(t).locator(".widget-tab-contents > :visible").first
            shown.scroll_into_view_if_needed(timeout=10_000)
            shown.screenshot(path=str(shots / f"{stem}-view-{t}-{k}.png"))
            shown.evaluate("e => e.setAttribute('data-a11y-view', '')")
            problems += [dict(v, view=labels.nth(k).inner_text()) for v in blocking(axe_violations(
                page, "[data-a11y-view]", rules=["color-contrast"]))]
            shown.evaluate("e => e.removeAttribute('data-a11y-view')")
        if labels.count():
            labels.first.click()
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_in_jupyterlab_has_no_serious_axe_violation_light_or_dark(lab, notebook):
    page, _ = lab
    started = time.monotonic()
    set_theme(page, "light")
    open_and_run(page, notebook)
    try:
        problems = check_theme(page, notebook, "light")
        set_theme(page, "dark")
        problems += check_theme(page, notebook, "dark")
    finally:
        close_current(page)
        RESULTS.setdefault(notebook, {})["seconds"] = round(time.monotonic() - started, 1)
    assert problems == [], f"{notebook}: " + json.dumps(problems, indent=1, ensure_ascii=False)


def test_slider_names_survive_a_rebuilt_slider_and_a_kernel_restart(lab):
    """The explorer's d slider is replaced when H changes; a restarted kernel draws every widget anew."""
    page, _ = lab
    set_theme(page, "light")
    open_and_run(page, EXPLORER_NOTEBOOK)
    try:
        assert unnamed_sliders(page) == []
        d_slider = lab_recipe.slider(page, 3).locator("[role=slider]")
        before = d_slider.element_handle()
        lab_recipe.press(page, 0, "End")  # H to 12: d gets a fresh slider with range 0..11
        lab_recipe.wait_for_range(page, 3, 11)
        assert not before.evaluate("h => document.contains(h)"), "d's slider was not rebuilt"
        assert d_slider.get_attribute("aria-label") == "d (output)"
        assert unnamed_sliders(page) == []
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(1000)
        open_and_run_wait(page)
        assert lab_recipe.slider(page, 3).locator("[role=slider]").get_attribute("aria-label") == "d (output)"
        assert unnamed_sliders(page) == []
    finally:
        close_current(page)


def open_and_run_wait(page):
    page.wait_for_function("""() => { const p = window.jupyterapp.shell.currentWidget;
        const k = p.sessionContext.session.kernel;
        return k.status === 'idle' && p.content.widgets.every(c => c.model.type !== 'code'
               || !c.model.sharedModel.source.trim() || c.model.executionCount !== null)
               && document.querySelectorAll('.jp-Notebook .widget-slider').length > 0; }""", timeout=300_000,
        polling=100)
    page.wait_for_timeout(1500)
