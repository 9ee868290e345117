"""The explorer's latency in a real browser: JupyterLab + headless Chromium, the full explorer at 12 x 12 x 12.

For each move: a key press on a slider's handle (ArrowLeft / ArrowRight, alternating), then the time until the
LAST change of anything the explorer shows (its views, shapes line, check table, tab contents; the control rows -
sliders, their readouts, the d and c sliders rebuilt for a new range - are not counted), measured in the page with a MutationObserver and performance.now().
A move is over when the expected state is shown and nothing has changed for QUIET seconds.  Prints median and
p90 per slider; never asserts (a benchmark, not a test).  Run by `make bench`, or alone:
    .venv/bin/python tests/bench/browser_bench.py [--moves 24] [--pythonpath DIR]
(--pythonpath puts another `helpers` first on the kernel's path, e.g. an older commit's, to compare;
--variant cold times the explorer without its cache and look-ahead.)
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
SETUP = ('import helpers\n'
         'e = helpers.Explorer(helpers.Settings(12, 12, 12, 0, "softmax_cross_entropy", "WX", 5, 5){})\n'
         'e.widget')
VARIANTS = (("as shipped (cache + idle look-ahead)", ""), ("cold (no cache, no look-ahead)", ", cache=0, ahead=False"))

WATCH = """(root) => {
  const s = window.__mg = {t0: 0, last: 0, changes: 0};
  const controls = '.mg-controls, .widget-slider, .widget-toggle-buttons, .widget-dropdown, .widget-text';
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


def notebook(path, options):
    cell = lambda i, src: {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                           "outputs": [], "source": src}
    nb = {"cells": [cell(0, SETUP.format(options)), cell(1, 'print("hits", dict(getattr(e, "hits", {})))')],
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


def set_seed(page, seed):
    """Type a new seed (not timed): every state after it is one the explorer has not seen."""
    box = explorer(page).locator(".widget-text input").first
    box.fill(str(seed))
    box.press("Enter")
    page.locator(f"text=W (12×12)").first.wait_for(timeout=30_000)
    time.sleep(2 * QUIET)


def walk(page, moves, first_seed):
    """H 12->11, n 12->11, H 11->12, n 11->12 from a fresh seed, repeated: each move reaches a new state."""
    times = {0: [], 2: []}
    seed = first_seed
    while len(times[0]) + len(times[2]) < moves:
        set_seed(page, seed)
        seed += 1
        for k, key, text in ((0, "ArrowLeft", "W (11×12)"), (2, "ArrowLeft", "D (11×11)"),
                             (0, "ArrowRight", "D (12×11)"), (2, "ArrowRight", "D (12×12)")):
            times[k].append(move(page, k, key, text)[0])
    return times[0] + times[2], times[0], times[2]


def show_tab(page, title):
    tabs = explorer(page).locator(".lm-TabBar-tab").filter(has_text=title)
    if tabs.count():  # (an explorer without tabs shows every view at once)
        tabs.first.click()
        time.sleep(1)


def report(label, times):
    print(f"{label:>34} {statistics.median(times):>5.0f} ms {percentile(times, 0.9):>5.0f} ms "
          f"{min(times):>4.0f} ms {max(times):>4.0f} ms")


def bench(moves=24, pythonpath=None, variants=VARIANTS):
    print(f"shape explorer in JupyterLab + Chromium, 12x12x12, softmax cross-entropy: key press -> last view "
          f"change, {moves} moves each (target: median <= 100 ms, p90 <= 150 ms); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "root").mkdir()
        for i, (_, options) in enumerate(variants):
            notebook(tmp / "root" / f"bench{i}.ipynb", options if not pythonpath else "")
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
            for i, (variant, _) in enumerate(variants[:1] if pythonpath else variants):
                print(f"{variant if not pythonpath else 'helpers from ' + str(pythonpath)}:")
                print(f"{'moves':>34} {'median':>8} {'p90':>8} {'min':>7} {'max':>7}")
                with browser_page(tmp / f"profile{i}") as page:
                    open_notebook(page, lab, f"bench{i}.ipynb")
                    run_all(page)
                    page.locator("text=D (12×12)").first.wait_for(timeout=60_000)
                    explorer(page).evaluate(WATCH)
                    for tab, seed in (("W, X, D", 100), ("Jacobian", 200)):
                        show_tab(page, tab)
                        both, H, n = walk(page, moves, seed)
                        report(f"H or n, new states, tab {tab}", both)
                        report("of which H", H)
                        report("of which n", n)
                    show_tab(page, "traced entry")
                    times = [move(page, 3, "ArrowLeft" if i % 2 == 0 else "ArrowRight",
                                  f"dL/dW[{4 if i % 2 == 0 else 5}, 5]")[0] for i in range(moves)]
                    report("d, tab traced entry", times)
                    try:  # run the second cell: how often the check table was ready when a move needed it
                        cell = page.locator(".jp-CodeCell").nth(1)
                        cell.scroll_into_view_if_needed()
                        cell.locator(".jp-InputArea-editor").click()
                        page.keyboard.press("Shift+Enter")
                        hits = page.locator(".jp-OutputArea-output", has_text="hits").first
                        hits.wait_for(timeout=30_000)
                        print(f"{'check tables ready when needed':>34} {hits.inner_text().strip()}")
                    except Exception as exc:  # noqa: BLE001 - a figure missing, not a failed benchmark
                        print(f"(could not read the hit count: {type(exc).__name__})")
        finally:
            lab_cm.__exit__(None, None, None)
    print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=24)
    parser.add_argument("--variant", choices=["shipped", "cold"], default="shipped",
                        help="the explorer as shipped, or without its cache and look-ahead (cold)")
    parser.add_argument("--pythonpath", help="a directory holding another `helpers` package, put first on the path")
    args = parser.parse_args()
    chosen = {"shipped": VARIANTS[:1], "cold": VARIANTS[1:]}[args.variant]
    bench(args.moves, args.pythonpath, chosen)
