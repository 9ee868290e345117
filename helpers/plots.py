"""Pictures of W, X, D, the 4-D Jacobian dD/dW and the index sum; colour-blind-safe, on a white face.

Every function draws on a matplotlib Figure it creates (no pyplot state, no rcParams changes), which a
notebook shows by returning it.  (The explorer draws with views.py instead, for speed.)  A figure carries
its text alternative (`fig.alt`, words, no TeX): JupyterLab's PNG renderer has no alt text, so a figure is
also offered as HTML, an <img> with that alt, which JupyterLab and the static site show instead.
"""
import base64
import html
import io

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from .a11y import text_on, words

SIGNED = "PuOr_r"  # diverging, colour-blind-safe; zero is near white
FACE = "white"  # explicit: stays readable in dark JupyterLab themes


class Picture(Figure):
    """A Figure that shows itself as PNG in any notebook front end, with no pyplot backend involved, and as
    an <img> with its alt text where HTML is shown (JupyterLab, nbconvert)."""
    alt = None  # set by the function that draws it; else the titles and axis labels, as words

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png", facecolor=self.get_facecolor())
        return buf.getvalue()

    def describe(self):
        """The alt text: `alt` if set, else every panel's title and axis labels (TeX said as words)."""
        if self.alt:
            return words(self.alt)
        parts = []
        for ax in self.axes:
            bits = [ax.get_title(), ax.get_xlabel() and f"x: {ax.get_xlabel()}", ax.get_ylabel() and f"y: {ax.get_ylabel()}"]
            parts.append(", ".join(b for b in bits if b))
        return words("Figure: " + "; ".join(p for p in parts if p))

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = self._repr_png_()
        w, h = (int(v) for v in self.get_size_inches() * self.dpi)
        img = (f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" width="{w}" height="{h}" '
               f'alt="{html.escape(self.describe())}">')
        return {"image/png": png, "text/html": img, "text/plain": repr(self)}


def new_figure(width, height, dpi=100):
    """A Picture (figure) outside pyplot state."""
    return Picture(figsize=(width, height), dpi=dpi, facecolor=FACE, layout="constrained")


def _limit(*arrays):
    return max(1e-12, *(float(np.abs(a).max()) for a in arrays))


KEY = "purple negative, orange positive, white zero"


def minus_marks(ax, im, A, extent=None):
    """A short bar on every negative cell of A (r, c) drawn by the image im, black or white by contrast, so
    that sign is not told by hue alone; only when cells can hold one (at most 48 x 48).  extent: imshow's."""
    r, c = A.shape
    if max(r, c) > 48:
        return
    i, j = np.nonzero(A < 0)
    x0, y0, dx, dy = (-0.5, -0.5, 1, 1) if extent is None else (extent[0], extent[3], (extent[1] - extent[0]) / c,
                                                                 (extent[2] - extent[3]) / r)
    ax.scatter(x0 + (j + 0.5) * dx, y0 + (i + 0.5) * dy, marker="_", s=(200 / max(r, c)) ** 2 / 4,
               color=[text_on(rgba) for rgba in im.cmap(im.norm(A[i, j]), bytes=True)], linewidths=1.0)


def matrix_panel(ax, A, title, vmax=None, annotate=True, row_label="", col_label=""):
    """Draw A (r, c) as a grid of coloured cells with its shape in the title; returns the image.  Values are
    written in small grids; in larger ones negative cells carry a minus mark (sign not by hue alone)."""
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
    if not (annotate and r * c <= 64):
        minus_marks(ax, im, A)
    else:
        for (i, j), v in np.ndenumerate(A):
            ax.text(j, i, f"{v + 0.0:.1f}", ha="center", va="center", fontsize=8,  # + 0.0: no "-0.0"
                    color=text_on(im.cmap(im.norm(v), bytes=True)))
    return im


def show_product(W, X, D, names=("W", "X", "D = W X")):
    """W (H, m), X (m, n) and D (H, n) side by side, shapes labelled."""
    fig = new_figure(9, 2.8)
    axes = fig.subplots(1, 3, width_ratios=[W.shape[1], X.shape[1], D.shape[1]])
    labels = (("i (H rows)", "k (m features)"), ("k (m features)", "j (n samples)"), ("i (H)", "j (n samples)"))
    for ax, A, name, (rl, cl) in zip(axes, (W, X, D), names, labels):
        matrix_panel(ax, A, name, row_label=rl, col_label=cl)
    fig.alt = (", ".join(f"{name} ({A.shape[0]}×{A.shape[1]})" for name, A in zip(names, (W, X, D)))
               + f" side by side as grids of coloured cells, {KEY}"
               + (", each value written in its cell." if max(A.size for A in (W, X, D)) <= 64 else "."))
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
    im = ax.imshow(M, cmap=SIGNED, norm=TwoSlopeNorm(0.0, -vmax, vmax), interpolation="nearest", aspect="equal",
                   extent=(0, H * m, H * n, 0))
    minus_marks(ax, im, M, extent=(0, H * m, H * n, 0))
    for k in range(1, H):
        ax.axhline(k * n, color="0.35", linewidth=0.6)
        ax.axvline(k * m, color="0.35", linewidth=0.6)
    step = max(1, H // 8)
    ax.set_xticks([(d + 0.5) * m for d in range(0, H, step)], [f"d={d}" for d in range(0, H, step)], fontsize=7)
    ax.set_yticks([(i + 0.5) * n for i in range(0, H, step)], [f"i={i}" for i in range(0, H, step)], fontsize=7)
    ax.tick_params(length=0)
    ax.set_xlabel("column (d, c): which W_dc moves", fontsize=8)
    ax.set_ylabel("row (i, j): which D_ij responds", fontsize=8)
    fig.alt = (f"Heatmap of dD/dW as an (H·n)×(H·m) = {H * n}×{H * m} matrix cut into {H}×{H} blocks: row (i, j) "
               f"says which D_ij responds, column (d, c) which W_dc moves; {KEY}, negative cells marked with a "
               f"minus.")
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
    fig.alt = (f"Three rows of {len(g)} coloured cells, one per sample j: G[{d}, j], X[{c}, j] and their "
               f"products, which add up to dL/dW[{d}, {c}] = {prod.sum():.3f}; {KEY}.")
    return fig
