"""The explorer's latency in a real browser: JupyterLab + headless Chromium, the full explorer at 12 x 12 x 12.

For each move: a key press on a slider's handle (ArrowLeft / ArrowRight, alternating), then the time until the
LAST change of anything the explorer shows (its views, shapes line, check table, tab contents; the slider's own
handle and readout are not counted), measured in the page with a MutationObserver and performance.now().
A move is over when the expected state is shown and nothing has changed for QUIET seconds.  Prints median and
p90 per slider; never asserts (a benchmark, not a test).  Run by `make bench`, or alone:
    .venv/bin/python tests/bench/browser_bench.py [--moves 24] [--pythonpath DIR]
(--pythonpath puts another `helpers` first on the kernel's path, e.g. an older commit's, to compare.)
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from test_jupyterlab import browser_page, explorer, open_notebook, run_all, running_lab, slider  # noqa: E402

QUIET = 0.4  # s without a change after the expected state: the move is drawn
SETUP = 'import helpers\nhelpers.explorer(H=12, m=12, n=12, loss="softmax_cross_entropy", d=5, c=5)'

WATCH = """(root) => {
  const s = window.__mg = {t0: 0, last: 0, changes: 0};
  const controls = '.widget-slider, .widget-toggle-buttons, .widget-dropdown, .widget-text';
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest(controls)) continue;
      s.last = now; s.changes++;
    }
  }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  document.addEventListener('keydown', () => { s.t0 = performance.now(); s.last = s.t0; s.changes = 0; }, true);
}"""


def notebook(path):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "bench", "metadata": {}, "outputs": [],
                     "source": SETUP}],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))


def move(page, k, key, expect_text):
    """Press `key` on slider k; wait until expect_text shows and the views are quiet; the latency in ms."""
    handle = slider(page, k).locator(".noUi-handle")
    handle.focus()
    page.keyboard.press(key)
    deadline = time.monotonic() + 30
    page.locator(f"text={expect_text}").first.wait_for(timeout=30_000)
    while time.monotonic() < deadline:
        before = page.evaluate("window.__mg.last")
        time.sleep(QUIET)
        s = page.evaluate("window.__mg")
        if s["last"] == before:
            return s["last"] - s["t0"], s["changes"]
    raise TimeoutError("the explorer never went quiet")


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def bench(moves=24, pythonpath=None):
    print(f"shape explorer in JupyterLab + Chromium, 12x12x12, softmax cross-entropy: key press -> last view "
          f"change, {moves} moves per slider (target: median <= 100 ms, p90 <= 150 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "root").mkdir()
        notebook(tmp / "root" / "bench.ipynb")
        old = os.environ.get("PYTHONPATH")
        if pythonpath:
            os.environ["PYTHONPATH"] = str(pythonpath)
        try:
            lab_cm = running_lab(tmp, root=tmp / "root")
            lab = lab_cm.__enter__()
        finally:
            if pythonpath:
                os.environ.pop("PYTHONPATH") if old is None else os.environ.__setitem__("PYTHONPATH", old)
        try:
            with browser_page(tmp / "profile") as page:
                open_notebook(page, lab, "bench.ipynb")
                run_all(page)
                page.locator("text=D (12×12)").first.wait_for(timeout=60_000)
                explorer(page).evaluate(WATCH)
                print(f"{'slider':>24} {'median':>8} {'p90':>8} {'min':>7} {'max':>7}")
                plan = (("H, first tab (W, X, D)", None, 0, "W ({}×12)"),
                        ("n, first tab (W, X, D)", None, 2, "D (12×{})"),
                        ("H, Jacobian tab", "Jacobian", 0, "W ({}×12)"),
                        ("d, traced-entry tab", "traced entry", 3, "dL/dW[{}, 5]"))
                for label, tab, k, pattern in plan:
                    tabs = explorer(page).locator(".lm-TabBar-tab").filter(has_text=tab or "W, X, D")
                    if tabs.count():  # (an explorer without tabs shows every view at once)
                        tabs.first.click()
                        time.sleep(1)
                    times = []
                    for i in range(moves):
                        up = i % 2 == 1
                        value = (12 if up else 11) if k != 3 else (5 if up else 4)
                        ms, _ = move(page, k, "ArrowRight" if up else "ArrowLeft", pattern.format(value))
                        times.append(ms)
                    print(f"{label:>24} {statistics.median(times):>5.0f} ms {percentile(times, 0.9):>5.0f} ms "
                          f"{min(times):>4.0f} ms {max(times):>4.0f} ms")
        finally:
            lab_cm.__exit__(None, None, None)
    print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=24)
    parser.add_argument("--pythonpath", help="a directory holding another `helpers` package, put first on the path")
    args = parser.parse_args()
    bench(args.moves, args.pythonpath)
