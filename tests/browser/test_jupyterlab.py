"""A real client: JupyterLab in headless Chromium runs the explorer notebook and moves the H slider.

Run with `make test-browser` (installs Debian's chromium and playwright).  The screenshot lands in
tests/browser/out/.  JupyterLab runs on 127.0.0.1 with fresh settings and is stopped by its PID.
"""
import json
import os
import signal
import socket
import subprocess
import sys
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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """Start JupyterLab on 127.0.0.1 with fresh settings; yield its URL; stop it by its PID."""
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    port = free_port()
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((tmp_path / "lab.log").read_text())
                time.sleep(0.5)
        yield url
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        log.close()


def shapes_text(page):
    return page.locator(".jp-OutputArea-output code").filter(has_text="dL/dW =").first.inner_text()


def test_explorer_renders_and_responds_to_the_keyboard(lab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000})
        try:
            page = browser.new_page()
            page.goto(f"{lab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
            page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
            # the status bar says Idle only once the kernel is connected; Run All before that can be dropped
            expect(page.locator(".jp-StatusBar-Item", has_text="| Idle").first).to_be_visible(timeout=90_000)
            for attempt in range(2):
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
                page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
                try:
                    expect(page.locator(".jp-InputPrompt", has_text="[1]:").first).to_be_visible(timeout=30_000)
                    break
                except AssertionError:
                    if attempt:
                        raise
            page.locator(".widget-slider").first.wait_for(timeout=60_000)
            expect(page.locator("text=every step holds").first).to_be_visible(timeout=60_000)
            assert page.locator("text=Error displaying widget").count() == 0
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            before = shapes_text(page)
            assert "W (3×4)" in before
            handle = page.locator(".widget-slider .noUi-handle").first  # the H slider of the explorer
            handle.scroll_into_view_if_needed()
            handle.focus()
            page.keyboard.press("ArrowRight")
            expect(page.locator(".jp-OutputArea-output code").filter(has_text="W (4×4)").first).to_be_visible(
                timeout=30_000)
            assert shapes_text(page) != before
            page.screenshot(path=str(OUT / "explorer.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(OUT / "failure.png"), full_page=False)
            raise
        finally:
            browser.close()
