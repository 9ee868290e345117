"""A real client: JupyterLab in headless Chromium opens and runs the explorer notebook and drives its sliders.

Run with `make test-browser` (installs Debian's chromium and playwright).  Screenshots land in
tests/browser/out/.  JupyterLab runs on 127.0.0.1 with fresh settings and is stopped by its PID.
`running_lab` and `run_all` are shared with the browser benchmark (tests/bench/browser_bench.py).
"""
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"
NOTEBOOK = "notebooks/06-matrix-form.ipynb"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test-token"
SCREEN = {"width": 1280, "height": 800}  # a laptop screen: the explorer's controls and checks must fit on it


def worker_index():
    """0 for the first pytest-xdist worker (gw0) or a run without xdist, 1 for gw1, ..."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)


def free_port(first=8871, last=8879):
    """A free port in the explorer's range (8871-8879), moved up by 100 for each xdist worker after the first
    so that parallel workers never race for one port; else any free port."""
    shift = 100 * worker_index()
    for port in [*range(first + shift, last + shift + 1), 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(tmp, root=ROOT):
    """Start JupyterLab on 127.0.0.1 serving `root` with fresh settings; yield its URL; stop it by its PID."""
    tmp = Path(tmp)
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    port = free_port()
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--ServerApp.port_retries=0"],  # a port taken meanwhile: fail, never serve on another port
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((tmp / "lab.log").read_text())
                time.sleep(0.5)
        yield url
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab for this file's tests (conftest.py schedules them on one worker), in test order: the first
    opens the explorer's notebook before anything runs, the second runs it."""
    with running_lab(tmp_path_factory.mktemp("lab")) as url:
        yield url


@contextlib.contextmanager
def browser_page(profile, viewport=SCREEN):
    """A headless Chromium page (Debian's chromium, a fresh profile); closed afterwards."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport=viewport)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def open_notebook(page, lab, notebook):
    """Open a notebook and wait until its kernel is idle (Run All before that can be dropped)."""
    from playwright.sync_api import expect
    page.goto(f"{lab}/lab/tree/{notebook}?token={TOKEN}")
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    expect(page.locator(".jp-StatusBar-Item", has_text="| Idle").first).to_be_visible(timeout=90_000)


def run_all(page):
    """Run → Run All Cells; wait until the explorer's sliders and check table are drawn."""
    from playwright.sync_api import expect
    for attempt in range(2):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
        try:
            # a cell has run: any shown prompt with a number (the set-up cell's input, and prompt, may be hidden)
            ran = page.locator(".jp-InputPrompt:visible", has_text=re.compile(r"\[\d+\]:")).first
            expect(ran).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            if attempt:
                raise
    page.locator(".widget-slider").first.wait_for(timeout=60_000)
    expect(page.locator("text=every step holds").first).to_be_visible(timeout=60_000)


def explorer(page):
    """The explorer's output area (the one with the shapes line)."""
    return page.locator(".jp-OutputArea-output").filter(has=page.locator("code", has_text="dL/dW =")).first


def slider(page, k):
    """The k-th slider of the explorer: 0 H, 1 m, 2 n, 3 d, 4 c."""
    return explorer(page).locator(".widget-slider").nth(k)


def press(page, k, key):
    from playwright.sync_api import Error as PlaywrightError
    for attempt in range(3):  # a slider can be replaced by a fresh one (new range) between lookup and use
        try:
            handle = slider(page, k).locator(".noUi-handle")
            handle.scroll_into_view_if_needed()
            handle.focus()
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    page.keyboard.press(key)


def wait_for_range(page, k, maximum):
    """Wait until the k-th slider shown is the one with the new range (d and c get a fresh slider)."""
    from playwright.sync_api import expect
    expect(slider(page, k).locator(".noUi-handle")).to_have_attribute("aria-valuemax", f"{maximum:.1f}",
                                                                       timeout=30_000)


def shapes_text(page):
    return explorer(page).locator("code").filter(has_text="dL/dW =").first.inner_text()


def readout(page, k):
    return slider(page, k).locator(".widget-readout").inner_text()


def test_stored_output_reads_as_a_sentence_before_the_cell_runs(lab, tmp_path):
    """Opened before anything runs, the explorer cell shows its stored text/plain: one sentence, not a repr."""
    with browser_page(tmp_path / "profile") as page:
        open_notebook(page, lab, NOTEBOOK)
        cell = page.locator(".jp-CodeCell").filter(has_text="helpers.explorer(").first
        cell.scroll_into_view_if_needed()
        output = cell.locator(".jp-OutputArea-output").first
        output.wait_for(timeout=30_000)
        for _ in range(40):  # the windowed notebook fills an output in when it scrolls into view
            text = output.inner_text()
            if text.strip():
                break
            time.sleep(0.25)
        assert "run this cell" in text and "VBox" not in text and "children=" not in text, text


def test_explorer_fits_a_screen_and_responds_to_the_keyboard(lab, tmp_path):
    from playwright.sync_api import expect

    OUT.mkdir(exist_ok=True)
    with browser_page(tmp_path / "profile") as page:
        try:
            open_notebook(page, lab, NOTEBOOK)
            run_all(page)
            assert page.locator("text=Error displaying widget").count() == 0
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            before = shapes_text(page)
            assert "W (3×4)" in before
            press(page, 0, "ArrowRight")
            expect(explorer(page).locator("code").filter(has_text="W (4×4)")).to_be_visible(timeout=30_000)

            # sliders comfortable to drag: >= 200 px of track for at most 12 values
            for k in range(5):
                width = slider(page, k).locator(".noUi-target").bounding_box()["width"]
                assert width >= 200, (k, width)

            # H to 12, then End on d must reach the NEW maximum 11 (noUiSlider kept its first range for End)
            press(page, 0, "End")
            expect(explorer(page).locator("code").filter(has_text="W (12×4)")).to_be_visible(timeout=30_000)
            wait_for_range(page, 3, 11)
            press(page, 3, "End")
            expect(slider(page, 3).locator(".widget-readout")).to_have_text("11", timeout=10_000)
            press(page, 3, "Home")
            expect(slider(page, 3).locator(".widget-readout")).to_have_text("0", timeout=10_000)
            for _ in range(10):
                press(page, 3, "ArrowRight")
            expect(slider(page, 3).locator(".widget-readout")).to_have_text("10", timeout=10_000)
            press(page, 3, "End")  # from 10 the End key must go up to 11, not down to an old maximum
            expect(slider(page, 3).locator(".widget-readout")).to_have_text("11", timeout=10_000)
            # same for c after m; then the kernel must agree with both sliders
            press(page, 1, "End")
            expect(explorer(page).locator("code").filter(has_text="W (12×12)")).to_be_visible(timeout=30_000)
            wait_for_range(page, 4, 11)
            press(page, 4, "End")
            expect(slider(page, 4).locator(".widget-readout")).to_have_text("11", timeout=10_000)
            press(page, 2, "End")
            expect(explorer(page).locator("code").filter(has_text="D (12×12)")).to_be_visible(timeout=30_000)
            explorer(page).locator(".lm-TabBar-tab, .widget-tab .p-TabBar-tab").filter(
                has_text="traced entry").first.click()
            expect(explorer(page).locator("text=dL/dW[11, 11]").first).to_be_visible(timeout=30_000)
            expect(explorer(page).locator("text=every step holds").first).to_be_visible(timeout=60_000)

            # at 12 x 12 x 12 the controls and the check table fit on one 1280 x 800 screen, with a view below
            top = slider(page, 0).bounding_box()["y"]
            table = explorer(page).locator("table").first.bounding_box()
            assert table["y"] + table["height"] - top <= SCREEN["height"] - 150, (top, table)
            explorer(page).evaluate("e => e.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(OUT / "explorer-12x12x12-1280x800.png"), full_page=False)

            # the convention toggle: the same numbers transposed, dL/dW = Xᵀ G with the traced entry at [c, d]
            explorer(page).locator(".widget-toggle-button", has_text="D = X W").click()
            expect(explorer(page).locator("code").filter(has_text="X (12×12) · W (12×12)")).to_be_visible(
                timeout=30_000)
            expect(explorer(page).locator("text=dL/dW = Xᵀ G, entry [11, 11] outlined").first).to_be_visible(
                timeout=30_000)
        except Exception:
            page.screenshot(path=str(OUT / "failure.png"), full_page=False)
            raise
