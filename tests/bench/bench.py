"""make bench: speed figures, printed, never asserted.  Not part of the test suite.

1. gradcheck (full and directional) against the classic one-index-at-a-time loop (cs231n's
   eval_numerical_gradient), H = m = n in {8, 32, 64, 128}, same inputs, same h.
2. The shape explorer, kernel side: a shape change, from setting the slider to the replaced output.
   (tests/bench/browser_bench.py times the same in JupyterLab + Chromium, key press to last view change.)
3. Each notebook's kernel time (sum over its cells, kernel start excluded), and the total.
"""
import statistics
import sys
import time

import numpy as np

import helpers


def naive_numerical_gradient(f, x, h=1e-6):
    """cs231n's loop: np.nditer over x, two evaluations of f per entry."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxph = f(x)
        x[ix] = old - h
        fxmh = f(x)
        x[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad


def timed(fn, repeat):
    """Median wall time of fn() over `repeat` runs, and its last result."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def bench_gradcheck(loss="squared_error"):
    print(f"gradcheck of dL/dW = G X^T, loss {loss}, h = 1e-6 (median wall time; max abs error vs G X^T)")
    head = f"{'H=m=n':>6} {'naive loop':>12} {'full':>10} {'directional':>12} {'naive/full':>11} " \
           f"{'naive/dir':>10} {'err naive':>10} {'err full':>10}"
    print(head)
    print("-" * len(head))
    for s in (8, 32, 64, 128):
        p = helpers.Problem.make(s, s, s, seed=s, loss=loss)
        grad = p.G @ p.X.T
        rng = np.random.default_rng(0)
        reps = 5 if s <= 64 else 1
        t_naive, g_naive = timed(lambda: naive_numerical_gradient(p.f, p.W), reps if s < 128 else 1)
        t_full, r_full = timed(lambda: helpers.gradcheck(p.f, p.W, grad), reps * 4)
        t_dir, r_dir = timed(lambda: helpers.gradcheck(p.f, p.W, grad, mode="directional", rng=rng), 200)
        assert r_full and r_dir, (r_full, r_dir)
        err_naive = np.abs(g_naive - grad).max()
        print(f"{s:>6} {t_naive * 1e3:>9.2f} ms {t_full * 1e3:>7.2f} ms {t_dir * 1e3:>9.3f} ms "
              f"{t_naive / t_full:>10.1f}x {t_naive / t_dir:>9.0f}x {err_naive:>10.1e} {r_full.max_abs_err:>10.1e}")
    print()


def bench_explorer(repeat=40):
    """Time a shape change in the kernel: set the H slider as a learner would, until the shown panels (the check
    table and the Jacobian tab) are replaced; no cache, no look-ahead (the browser bench times those)."""
    from helpers.shape_explorer import MAX_DIM, Explorer, Settings
    print(f"shape explorer, kernel side: H slider moved (checks and Jacobian redrawn, no cache), {repeat} moves each")
    print(f"{'shape':>18} {'median':>9} {'p90':>9}")
    for label, s in (("small 2x2x2", 2), ("medium 6x6x6", 6), (f"max {MAX_DIM}x{MAX_DIM}x{MAX_DIM}", MAX_DIM)):
        e = Explorer(Settings(s, s, s, loss="softmax_cross_entropy"), debounce=0, cache=0, ahead=False)
        e.show("jacobian")
        times = []
        for k in range(repeat):
            before = e.jacobian_image.value
            t = time.perf_counter()
            e.set(H=s - 1 if k % 2 == 0 else s)
            times.append(time.perf_counter() - t)
            assert e.jacobian_image.value != before and not e.error.value
        times.sort()
        print(f"{label:>18} {statistics.median(times) * 1e3:>6.1f} ms {times[int(0.9 * len(times))] * 1e3:>6.1f} ms")
    print()


def bench_explorer_hits(repeat=40):
    """The same move as shipped: the state one H step away was computed in idle time (what the look-ahead does),
    so the move only draws; per tab on screen."""
    from helpers.shape_explorer import MAX_DIM, Explorer, Settings
    s = MAX_DIM
    print(f"shape explorer, kernel side, as shipped: H slider moved to a state computed ahead, {s}x{s}x{s}")
    print(f"{'tab on screen':>18} {'median':>9} {'p90':>9}")
    for tab in ("matrices", "jacobian", "index_sum"):
        e = Explorer(Settings(s, s, s, loss="softmax_cross_entropy"), debounce=0, ahead=False)
        e.show(tab)
        times = []
        for seed in range(1, repeat + 1):
            e.set(seed=seed)  # a state not seen before ...
            ahead = e.solved(Settings(**{**e.settings.__dict__, "H": s - 1}))
            ahead.finish()  # ... whose neighbour is ready, as after the idle look-ahead
            for panel in ("matrices", "jacobian", "index_sum"):
                ahead.view(panel, Settings(**{**e.settings.__dict__, "H": s - 1}).clamped())
            e.solved(e.settings)
            t = time.perf_counter()
            e.set(H=s - 1)
            times.append(time.perf_counter() - t)
            assert not e.error.value
            e.set(H=s)
        times.sort()
        print(f"{tab:>18} {statistics.median(times) * 1e3:>6.1f} ms {times[int(0.9 * len(times))] * 1e3:>6.1f} ms")
    print()


def bench_notebooks():
    """Execute every notebook in memory (nothing is written) and sum each cell's busy-to-idle time."""
    from datetime import datetime
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    root = Path(__file__).resolve().parents[2] / "notebooks"
    paths = sorted(root.glob("[0-9][0-9]-*.ipynb")) + sorted((root / "solutions").glob("*.ipynb"))
    print("notebook kernel time (cells only; target <= 5 s each)")
    total = 0.0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = 0.0
        for cell in nb.cells:
            t = cell.get("metadata", {}).get("execution", {})
            if "iopub.status.busy" in t and "iopub.status.idle" in t:
                busy, idle = (datetime.fromisoformat(t[k].replace("Z", "+00:00"))
                              for k in ("iopub.status.busy", "iopub.status.idle"))
                seconds += (idle - busy).total_seconds()
        total += seconds
        print(f"{seconds:8.2f} s  {path.relative_to(root.parent)}")
    print(f"{total:8.2f} s  total")
    print()


if __name__ == "__main__":
    import os
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} on"
          f" {os.cpu_count()} cores")
    for loss in ("squared_error", "softmax_cross_entropy"):
        bench_gradcheck(loss)
    bench_explorer()
    bench_explorer_hits()
    bench_notebooks()
