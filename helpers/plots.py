"""Pictures of W, X, D, the 4-D Jacobian dD/dW and the index sum; colour-blind-safe, on a white face.

Every function draws on a matplotlib Figure it creates (no pyplot state, no rcParams changes), which a
notebook shows by returning it.  (The explorer draws with views.py instead, for speed.)
"""
import io

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

SIGNED = "PuOr_r"  # diverging, colour-blind-safe; zero is near white
FACE = "white"  # explicit: stays readable in dark JupyterLab themes


class Picture(Figure):
    """A Figure that shows itself as PNG in any notebook front end, with no pyplot backend involved."""

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png", facecolor=self.get_facecolor())
        return buf.getvalue()


def new_figure(width, height, dpi=100):
    """A Picture (figure) outside pyplot state."""
    return Picture(figsize=(width, height), dpi=dpi, facecolor=FACE, layout="constrained")


def _limit(*arrays):
    return max(1e-12, *(float(np.abs(a).max()) for a in arrays))


def matrix_panel(ax, A, title, vmax=None, annotate=True, row_label="", col_label=""):
    """Draw A (r, c) as a grid of coloured cells with its shape in the title; returns the image."""
    vmax = vmax or _limit(A)
    im = ax.imshow(A, cmap=SIGNED, norm=TwoSlopeNorm(0.0, -vmax, vmax), aspect="equal", interpolation="nearest")
    ax.set_title(f"{title}  {A.shape[0]}×{A.shape[1]}", fontsize=10)
    r, c = A.shape
    ax.set_xticks(range(c) if c <= 12 else [])
    ax.set_yticks(range(r) if r <= 12 else [])
    ax.tick_params(labelsize=8, length=0)
    # cell borders as two line collections: far cheaper to draw than minor-tick grid lines
    ax.hlines(np.arange(0.5, r - 1), -0.5, c - 0.5, color="0.75", linewidth=0.5)
    ax.vlines(np.arange(0.5, c - 1), -0.5, r - 0.5, color="0.75", linewidth=0.5)
    ax.set_xlabel(col_label, fontsize=8)
    ax.set_ylabel(row_label, fontsize=8)
    if annotate and r * c <= 64:
        for (i, j), v in np.ndenumerate(A):
            ax.text(j, i, f"{v + 0.0:.1f}", ha="center", va="center", fontsize=8,  # + 0.0: no "-0.0"
                    color="white" if abs(v) > 0.6 * vmax else "black")
    return im


def show_product(W, X, D, names=("W", "X", "D = W X")):
    """W (H, m), X (m, n) and D (H, n) side by side, shapes labelled."""
    fig = new_figure(9, 2.8)
    axes = fig.subplots(1, 3, width_ratios=[W.shape[1], X.shape[1], D.shape[1]])
    labels = (("i (H rows)", "k (m features)"), ("k (m features)", "j (n samples)"), ("i (H)", "j (n samples)"))
    for ax, A, name, (rl, cl) in zip(axes, (W, X, D), names, labels):
        matrix_panel(ax, A, name, row_label=rl, col_label=cl)
    return fig


def jacobian_matrix(J):
    """The 4-D J (H, n, H, m) laid out as an (H n) x (H m) matrix: row (i, j), column (d, c)."""
    H, n, _, m = J.shape
    return J.reshape(H * n, H * m)


def show_jacobian(J):
    """Heatmap of dD/dW (H, n, H, m) as an (H n) x (H m) matrix, its H x H blocks outlined."""
    H, n, _, m = J.shape
    fig = new_figure(min(7, 2 + 0.25 * H * m), min(6, 1.5 + 0.25 * H * n))
    ax = fig.add_subplot()
    ax.set_title(f"dD/dW as an (H·n)×(H·m) = {H * n}×{H * m} matrix", fontsize=10)
    M = jacobian_matrix(J)
    vmax = _limit(M)
    ax.imshow(M, cmap=SIGNED, norm=TwoSlopeNorm(0.0, -vmax, vmax), interpolation="nearest", aspect="equal",
              extent=(0, H * m, H * n, 0))
    for k in range(1, H):
        ax.axhline(k * n, color="0.35", linewidth=0.6)
        ax.axvline(k * m, color="0.35", linewidth=0.6)
    step = max(1, H // 8)
    ax.set_xticks([(d + 0.5) * m for d in range(0, H, step)], [f"d={d}" for d in range(0, H, step)], fontsize=7)
    ax.set_yticks([(i + 0.5) * n for i in range(0, H, step)], [f"i={i}" for i in range(0, H, step)], fontsize=7)
    ax.tick_params(length=0)
    ax.set_xlabel("column (d, c): which W_dc moves", fontsize=8)
    ax.set_ylabel("row (i, j): which D_ij responds", fontsize=8)
    return fig


def show_index_sum(G, X, d, c):
    """Row d of G (H, n), row c of X (m, n), their products, and the sum that gives dL/dW_dc."""
    g, x = G[d], X[c]
    prod = g * x
    vmax = _limit(g, x, prod)
    fig = new_figure(min(9, 2.5 + 0.55 * len(g)), 2.4)
    axes = fig.subplots(3, 1)
    for ax, v, label in zip(axes, (g, x, prod), (f"G[{d}, j]", f"X[{c}, j]", "product")):
        matrix_panel(ax, v[None, :], "", vmax=vmax, annotate=len(v) <= 12)
        ax.set_title("")
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
        ax.set_yticks([])
    axes[-1].set_xlabel("j (samples): summed", fontsize=8)
    axes[0].set_title(f"dL/dW[{d}, {c}] = Σ_j G[{d}, j]·X[{c}, j] = {prod.sum():.3f}", fontsize=10)
    return fig
