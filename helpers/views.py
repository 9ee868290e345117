"""Fast views for the explorer: matrices as HTML tables, the Jacobian as a PNG built with numpy.

Pure functions of arrays returning strings or bytes (testable without a display).  Every cell carries an
explicit background and text colour, so the tables read the same in light and dark JupyterLab themes.
"""
import html
import io
from functools import lru_cache

import numpy as np
from matplotlib import colormaps
from PIL import Image

from .a11y import text_on
from .plots import SIGNED

MUTED = "var(--jp-content-font-color2,#595959)"  # the theme's secondary text: 4.5:1 or more, light or dark
CMAP = colormaps[SIGNED]  # the static figures' diverging, colour-blind-safe map; zero is near white
# One style sheet for every table (sent with each panel): per-cell inline styles made a 12 x 12 panel 60 KB.
# The highlighted row or column (class hl) is outlined in a white ring inside a black one: one of the two has
# >= 4.5:1 contrast on any cell colour, in any colour vision (a blue outline vanished on purple cells under
# protanopia; tests/test_colours.py), light or dark theme.
STYLE = ("<style>table.mg-m{border-collapse:collapse}"
         "table.mg-m td{padding:2px 5px;text-align:right;font:11px monospace;border:1px solid #d0d0d0}"
         "table.mg-m th{font:10px monospace;color:var(--jp-content-font-color2,#595959);padding:0 3px}"
         "table.mg-m td.hl{outline:2px solid #000;outline-offset:-4px;box-shadow:inset 0 0 0 2px #fff}</style>")


def colours(A, vmax):
    """RGBA uint8 colours of A on a symmetric scale [-vmax, vmax]; A any shape."""
    return CMAP(0.5 + 0.5 * np.clip(A / vmax, -1, 1), bytes=True)


def _hex(rgba):
    """(background '#rrggbb', text colour) for an RGBA cell colour."""
    return _hex_rgb(*(int(x) for x in rgba[:3]))


@lru_cache(maxsize=4096)  # a colour map has a few hundred colours: the contrast is worked out once for each
def _hex_rgb(r, g, b):
    text = text_on((r, g, b))  # black or white, whichever has more contrast (>= 4.58:1)
    return f"#{r:02x}{g:02x}{b:02x}", text


def matrix_html(A, name, vmax=None, highlight_row=None, row_name="", col_name="", highlight_col=None,
                highlight_cell=None):
    """A (r, c) as a coloured table titled with its name and shape; row highlight_row / column highlight_col /
    entry highlight_cell = (i, j) outlined.  Cells are styled by one class (see STYLE) plus their own colours:
    a 12 x 12 table stays small."""
    vmax = vmax or max(1e-12, float(np.abs(A).max()))
    rgba = colours(A, vmax)
    head = "".join(f"<th>{'&#9660;' if j == highlight_col else ''}{j}</th>" for j in range(A.shape[1]))
    rows = []
    for i in range(A.shape[0]):
        mark = f"&#9654;&nbsp;{i}" if i == highlight_row else str(i)
        cells = "".join(
            "<td{} style='background:{};color:{}'>{:.2f}</td>".format(
                " class='hl'" if i == highlight_row or j == highlight_col or (i, j) == highlight_cell else "",
                *_hex(rgba[i, j]), A[i, j])
            for j in range(A.shape[1]))
        rows.append(f"<tr><th>{mark}</th>{cells}</tr>")
    title = f"<b>{html.escape(name)}</b> <span style='color:{MUTED}'>{A.shape[0]}×{A.shape[1]}</span>"
    axes = f"<div style='font-size:10px;color:{MUTED}'>rows: {row_name}; columns: {col_name}</div>" if row_name else ""
    return (f"<div style='display:inline-block;vertical-align:top;margin-right:14px'>{title}{axes}"
            f"<table class='mg-m'><tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def minus_bars(J, size=360):
    """True if jacobian_png(J, size) marks each negative cell with a minus bar (cells of 6 px or more)."""
    return size // max(J.shape[0] * J.shape[1], J.shape[2] * J.shape[3]) >= 6


def jacobian_png(J, size=360):
    """A 4-D Jacobian J (a, b, c, e) = dD/dW (D.shape + W.shape) as an (a b) x (c e) picture about `size`
    pixels wide: row (D's first index, second index), column (W's first index, second index); the
    a x c blocks are outlined.  D = W X: (H, n, H, m), blocks n x m.  D = X W: (n, H, m, H), blocks H x H."""
    a, b, c, e = J.shape
    M = J.reshape(a * b, c * e)
    cell = int(np.clip(size // max(M.shape), 2, 40))  # small Jacobians drawn large enough to read
    rgba = colours(M, max(1e-12, float(np.abs(M).max())))
    img = np.repeat(np.repeat(rgba, cell, axis=0), cell, axis=1)
    for k in range(1, a):  # block borders, dark grey
        img[k * b * cell - 1, :, :3] = 70
    for k in range(1, c):
        img[:, k * e * cell - 1, :3] = 70
    if minus_bars(J, size):  # a minus bar on each negative cell, black or white: sign not by hue alone
        bar = np.zeros((cell, cell), bool)
        bar[cell // 2 - max(1, cell // 12): cell // 2 + max(1, cell // 12), cell // 4: cell - cell // 4] = True
        lum = (np.asarray(rgba[..., :3], float) / 255) ** 2.2 @ [0.2126, 0.7152, 0.0722]
        for dark, shade in ((lum < 0.179, 255), (lum >= 0.179, 0)):
            img[np.kron(dark & (M < 0), bar).astype(bool), :3] = shade
    buf = io.BytesIO()
    # opaque (the colour map's alpha is 1): RGB, a quarter less to compress than RGBA
    # the mode follows from the uint8 (h, w, 3) array; passing "RGB" warns in Pillow 11.3 (Colab's), see pyproject
    Image.fromarray(np.ascontiguousarray(img[..., :3])).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def png_width(png):
    """Pixel width of a PNG, read from its header."""
    return int.from_bytes(png[16:20], "big")


def index_sum_html(G, X, d, c, convention="WX"):
    """The traced entry as its sum over the samples: the factors outlined, their products, the sum, and the
    whole dL/dW with the traced entry outlined (so the convention toggle shows it transposed).

    D = W X: G (H, n), X (m, n); dL/dW[d, c] = Σ_j G[d, j] X[c, j] (row d of G, row c of X); dL/dW = G Xᵀ (H, m).
    D = X W: G (n, H), X (n, m); dL/dW[c, d] = Σ_i X[i, c] G[i, d] (column c of X, column d of G); Xᵀ G (m, H).
    d indexes the outputs, c the features, in both.
    """
    if convention == "WX":
        prod = G[d] * X[c]
        title = f"dL/dW[{d}, {c}] = Σ<sub>j</sub> G[{d}, j] · X[{c}, j]"
        tables = [(G, f"G = dL/dD, row d = {d}", dict(highlight_row=d, row_name="i (outputs)", col_name="j (samples)")),
                  (X, f"X, row c = {c}", dict(highlight_row=c, row_name="k (features)", col_name="j (samples)")),
                  (prod[None, :], f"G[{d}, j] · X[{c}, j]", dict(row_name="", col_name=""))]
        whole = (G @ X.T, f"dL/dW = G Xᵀ, entry [{d}, {c}] outlined",
                 dict(highlight_cell=(d, c), row_name="d (outputs)", col_name="c (features)"))
    else:
        prod = X[:, c] * G[:, d]
        title = f"dL/dW[{c}, {d}] = Σ<sub>i</sub> X[i, {c}] · G[i, {d}]"
        tables = [(X, f"X, column c = {c}", dict(highlight_col=c, row_name="i (samples)", col_name="k (features)")),
                  (G, f"G = dL/dD, column d = {d}", dict(highlight_col=d, row_name="i (samples)", col_name="j (outputs)")),
                  (prod[:, None], f"X[i, {c}] · G[i, {d}]", dict(row_name="", col_name=""))]
        whole = (X.T @ G, f"dL/dW = Xᵀ G, entry [{c}, {d}] outlined",
                 dict(highlight_cell=(c, d), row_name="c (features)", col_name="d (outputs)"))
    vmax = max(1e-12, float(np.abs(np.concatenate([G.ravel(), X.ravel(), prod])).max()))
    total = float(prod.sum())
    return (STYLE + f"<div><b>{title} = {total:.4f}</b></div>"
            + "".join(matrix_html(A, name, vmax, **kw) for A, name, kw in tables)
            + f"<div style='display:inline-block;vertical-align:top;margin-right:14px'><b>sum over the samples</b>"
              f"<br><span style='font:13px monospace'>{total:.4f}</span></div>"
            + matrix_html(whole[0], whole[1], **whole[2]))
