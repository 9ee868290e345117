"""JupyterLite (make lite) offline: the kernel starts from the local Pyodide runtime, a widget renders, and the
notebooks' set-up cell installs helpers from the site up to numpy, the one package only Pyodide's CDN has.

Run with `make test-browser` (it builds _site/lite/ first).  _site/ is served on 127.0.0.1; every request
that leaves localhost is blocked and recorded.  Screenshots land in tests/browser/out/.
"""
import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from test_jupyterlab import CHROMIUM, FLAGS  # one Chromium recipe for every browser test

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_site"
LITE = SITE / "lite"
OUT = Path(__file__).resolve().parent / "out"
LOCAL = {"127.0.0.1", "localhost"}
CDN_ONLY = ("numpy", "matplotlib", "pillow", "contourpy", "kiwisolver", "fonttools", "cycler", "pyparsing",
            "python_dateutil", "pytz")


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (LITE / "lab" / "index.html").exists():
        pytest.fail("_site/lite/ is not built: run `make lite` (make test-browser does)")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_build_serves_runtime_and_wheels_locally():
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    settings = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert settings["pyodideUrl"].startswith("../pyodide/") and settings["disablePyPIFallback"] is True
    assert (LITE / "pyodide" / "pyodide.asm.wasm").exists()
    lock = json.loads((LITE / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    for name in ("micropip", "ipython", "jedi", "traitlets"):
        assert (LITE / "pyodide" / lock[name]["file_name"]).exists(), name
    assert lock["numpy"]["file_name"].startswith("https://"), "numpy comes from Pyodide's CDN"
    index = json.loads((LITE / "pypi" / "all.json").read_text())
    assert {"matmul-gradient-helpers", "ipywidgets", "comm"} <= set(index), sorted(index)


def run_here(page, code):
    """Run the active cell (code=None) or a new cell inserted above the active one; wait for its prompt [n]."""
    if code is not None:
        page.keyboard.press("Escape")
        page.keyboard.press("a")
        page.keyboard.press("Enter")
        page.keyboard.insert_text(code)
    cell = page.locator(".jp-Notebook .jp-Cell.jp-mod-active")
    prompt = cell.locator(".jp-InputPrompt")
    before = cell.get_attribute("data-windowed-list-index") or ""
    page.keyboard.press("Shift+Enter")
    page.locator(f".jp-Notebook .jp-Cell[data-windowed-list-index='{before}'] .jp-InputPrompt").filter(
        has_text=re.compile(r"\[\d+\]")).wait_for(timeout=240000) if before else prompt.wait_for()


def test_kernel_starts_offline_widget_renders_helpers_install_stops_at_numpy(server, tmp_path):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    blocked, failed, errors = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})

        def route(r):
            if urlparse(r.request.url).hostname in LOCAL or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()
        context.route("**/*", route)
        page = context.new_page()
        page.on("response", lambda r: r.status >= 400 and failed.append(f"HTTP {r.status}: {r.url}"))
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            # A new notebook with the Python (Pyodide) kernel; the set-up cell of the collection, then a widget.
            page.goto(f"{server}/lite/lab/index.html?path=01-setup-and-shapes.ipynb", wait_until="load")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120000)
            # innerText lays the page out: looked at every 250 ms, not on every frame
            page.wait_for_function("() => document.body.innerText.includes('Python (Pyodide) | Idle')",
                                   timeout=240000, polling=250)
            setup = next(c for c in json.loads((LITE / "files" / "01-setup-and-shapes.ipynb").read_text())["cells"]
                         if c["cell_type"] == "code")
            assert "emscripten" in "".join(setup["source"]), "the set-up cell does not handle JupyterLite"
            page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputPrompt").click()
            run_here(page, None)  # the set-up cell: ipywidgets and helpers from lite/pypi; numpy & co from the CDN
            # a widget, from the local ipywidgets wheel
            run_here(page, "import ipywidgets\nipywidgets.IntSlider(3)")
            page.locator(".jp-Notebook .widget-slider").first.wait_for(timeout=120000)
            page.screenshot(path=str(OUT / "lite-offline.png"))
            # helpers is installed; importing it stops at numpy, the one thing offline cannot give
            run_here(page, "import helpers")
            page.wait_for_function("() => /ModuleNotFoundError: No module named .numpy./.test(document.body.innerText)",
                                   timeout=120000, polling=250)
            text = page.locator(".jp-Notebook").inner_text()
            assert "No module named 'helpers'" not in text and "No module named 'ipywidgets'" not in text
            outside = [u for u in blocked if not u.endswith(".svg") and not any(n in u.lower() for n in CDN_ONLY)]
            assert outside == [], f"requests that left the machine for something other than numpy & co: {outside}"
        finally:
            context.close()
            browser.close()
    # JupyterLite answers /api/ in the page; a traceback's file link also probes the static server (404), harmless
    local_failures = [f for f in failed if urlparse(f.split(": ", 1)[1]).hostname in LOCAL
                      and not urlparse(f.split(": ", 1)[1]).path.startswith("/lite/api/")]
    assert local_failures == [], local_failures
