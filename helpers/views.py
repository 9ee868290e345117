"""Fast views for the explorer: matrices as HTML tables, the Jacobian as a PNG built with numpy.

Pure functions of arrays returning strings or bytes (testable without a display).  Every cell carries an
explicit background and text colour, so the tables read the same in light and dark JupyterLab themes.
"""
import html
import io

import numpy as np
from matplotlib import colormaps
from PIL import Image

from .plots import SIGNED

CMAP = colormaps[SIGNED]  # the static figures' diverging, colour-blind-safe map; zero is near white
CELL = "padding:2px 5px;text-align:right;font:11px monospace;border:1px solid #d0d0d0"


def colours(A, vmax):
    """RGBA uint8 colours of A on a symmetric scale [-vmax, vmax]; A any shape."""
    return CMAP(0.5 + 0.5 * np.clip(A / vmax, -1, 1), bytes=True)


def _hex(rgba):
    r, g, b = (int(x) for x in rgba[:3])
    text = "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"
    return f"#{r:02x}{g:02x}{b:02x}", text


def matrix_html(A, name, vmax=None, highlight_row=None, row_name="", col_name=""):
    """A (r, c) as a coloured table titled with its name and shape; row highlight_row outlined."""
    vmax = vmax or max(1e-12, float(np.abs(A).max()))
    rgba = colours(A, vmax)
    head = "".join(f"<th style='font:10px monospace;color:#888'>{j}</th>" for j in range(A.shape[1]))
    rows = []
    for i in range(A.shape[0]):
        # blue (Okabe-Ito) reads against the purple/orange cells and on light and dark backgrounds
        outline = ";outline:3px solid #0072b2;outline-offset:-2px" if i == highlight_row else ""
        mark = f"&#9654;&nbsp;{i}" if i == highlight_row else str(i)
        cells = "".join(
            "<td style='{};background:{};color:{}'>{:.2f}</td>".format(CELL + outline, *_hex(rgba[i, j]), A[i, j])
            for j in range(A.shape[1]))
        rows.append(f"<tr><th style='font:10px monospace;color:#888'>{mark}</th>{cells}</tr>")
    title = f"<b>{html.escape(name)}</b> <span style='color:#888'>{A.shape[0]}×{A.shape[1]}</span>"
    axes = f"<div style='font-size:10px;color:#888'>rows: {row_name}; columns: {col_name}</div>" if row_name else ""
    return (f"<div style='display:inline-block;vertical-align:top;margin-right:14px'>{title}{axes}"
            f"<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def jacobian_png(J, size=360):
    """The (H, n, H, m) Jacobian as an (H n) x (H m) picture about `size` pixels wide, H x H blocks outlined."""
    H, n, _, m = J.shape
    cell = int(np.clip(size // (H * max(m, n)), 2, 24))
    M = J.reshape(H * n, H * m)
    rgba = colours(M, max(1e-12, float(np.abs(M).max())))
    img = np.repeat(np.repeat(rgba, cell, axis=0), cell, axis=1)
    for k in range(1, H):  # block borders, dark grey
        img[k * n * cell - 1, :, :3] = 70
        img[:, k * m * cell - 1, :3] = 70
    buf = io.BytesIO()
    Image.fromarray(img, "RGBA").save(buf, format="png", compress_level=1)
    return buf.getvalue()


def png_width(png):
    """Pixel width of a PNG, read from its header."""
    return int.from_bytes(png[16:20], "big")


def index_sum_html(G, X, d, c, convention="WX"):
    """For the traced entry: G with row d outlined, X with row c outlined, their products and the sum.

    G (H, n), X (m, n) in the D = W X layout (for "XW" pass G.T and X.T).
    """
    g, x = G[d], X[c]
    prod = g * x
    vmax = max(1e-12, float(np.abs(np.concatenate([G.ravel(), X.ravel(), prod])).max()))
    if convention == "WX":
        title = f"dL/dW[{d}, {c}] = Σ<sub>j</sub> G[{d}, j] · X[{c}, j]"
        names = (f"G = dL/dD, row {d}", f"X, row {c}", f"G[{d}, j] · X[{c}, j]")
    else:
        title = f"dL/dW[{c}, {d}] = Σ<sub>i</sub> X[i, {c}] · G[i, {d}]"
        names = (f"Gᵀ, row {d} (column {d} of G)", f"Xᵀ, row {c} (column {c} of X)", "products")
    total = float(prod.sum())
    return (f"<div><b>{title} = {total:.4f}</b></div>"
            + matrix_html(G, names[0], vmax, highlight_row=d) + matrix_html(X, names[1], vmax, highlight_row=c)
            + matrix_html(prod[None, :], names[2], vmax)
            + f"<div style='display:inline-block;vertical-align:top'><b>sum over the samples</b><br>"
              f"<span style='font:13px monospace'>{total:.4f}</span></div>")
