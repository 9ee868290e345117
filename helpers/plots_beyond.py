"""Pictures for notebooks 13-16: first-order error, the Kronecker structure of dD/dW, costs, accumulation.

Each function draws on a new Figure from plots.new_figure (no pyplot state, no rcParams changes) and
returns it, so a notebook shows it by returning it.
"""
import numpy as np
from matplotlib.colors import TwoSlopeNorm

from .a11y import words
from .plots import KEY, SIGNED, _limit, minus_marks, new_figure


def first_order_error(eps, errors, label="|L(W + ε dW) − L(W) − ε tr((G Xᵀ)ᵀ dW)|"):
    """Log-log plot of errors (k,) against step sizes eps (k,), with slope guides drawn a factor 10 below
    the data (parallel to it when the error is second order, so the guide stays visible)."""
    eps, errors = np.asarray(eps, float), np.asarray(errors, float)
    fig = new_figure(5.5, 3.0)
    ax = fig.add_subplot()
    ax.loglog(eps, errors, "o-", color="#0072b2", label=label)
    anchor = errors[-1] / 10
    ax.loglog(eps, anchor * (eps / eps[-1]) ** 2, "--", color="0.3", linewidth=1.2,
              label="slope-2 guide: ε², a factor 10 below")
    ax.loglog(eps, anchor * (eps / eps[-1]), ":", color="#d55e00", linewidth=1.2,
              label="slope-1 guide: ε (for contrast)")
    ax.set_xlabel("step size ε")
    ax.set_ylabel("first-order error")
    ax.legend(frameon=False, fontsize=8)
    fig.alt = (f"Log-log plot of the first-order error {words(label)} (circles, solid) against the step size ε from "
               f"{eps.min():.0e} to {eps.max():.0e}: the error falls from {errors.max():.1e} to {errors.min():.1e}; "
               "a dashed slope-2 guide and a dotted slope-1 guide are drawn a factor 10 below.")
    return fig


def _kron_panel(ax, M, block_rows, block_cols, labels, title, row_label, col_label):
    """M as a heatmap cut into blocks of (block_rows, block_cols); labels[r][c] written on each block."""
    vmax = _limit(M)
    R, C = M.shape
    im = ax.imshow(M, cmap=SIGNED, norm=TwoSlopeNorm(0.0, -vmax, vmax), interpolation="nearest", aspect="equal",
                   extent=(0, C, R, 0))
    minus_marks(ax, im, M, extent=(0, C, R, 0))
    for r in range(1, R // block_rows):
        ax.axhline(r * block_rows, color="0.3", linewidth=0.8)
    for c in range(1, C // block_cols):
        ax.axvline(c * block_cols, color="0.3", linewidth=0.8)
    for r, row in enumerate(labels):
        for c, text in enumerate(row):
            ax.text((c + 0.5) * block_cols, (r + 0.5) * block_rows, text, ha="center", va="center", fontsize=9.5,
                    color="black", bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="0.5", lw=0.5, alpha=0.95))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{title}  ({R}×{C})", fontsize=10)
    ax.set_xlabel(col_label, fontsize=8)
    ax.set_ylabel(row_label, fontsize=8)


def jacobian_structure(J_wx, J_xw, H, m, n):
    """dD/dW for D = W X, (H n, H m), next to dD/dW for D = X W, (n H, m H), blocks labelled."""
    fig = new_figure(9, 3.1)
    left, right = fig.subplots(1, 2)
    wx_labels = [["Xᵀ" if i == d else "0" for d in range(H)] for i in range(H)]
    _kron_panel(left, J_wx, n, m, wx_labels, "D = W X:  I_H ⊗ Xᵀ",
                "row (i, j): D_ij, blocks by i", "column (d, c): W_dc, blocks by d")
    xw_labels = [[f"X[{i},{c}]·I" for c in range(m)] for i in range(n)]
    _kron_panel(right, J_xw, H, H, xw_labels, "D = X W:  X ⊗ I_H",
                "row (i, j): D_ij, blocks by sample i", "column (c, d): W_cd, blocks by c")
    fig.alt = (f"Two heatmaps of dD/dW, {KEY}, negative cells marked with a minus. Left, D = W X, I_H ⊗ Xᵀ: "
               f"{H}×{H} blocks of {n}×{m}, Xᵀ on the diagonal, 0 elsewhere. Right, D = X W, X ⊗ I_H: {n}×{m} blocks "
               f"of {H}×{H}, block (i, c) X[i, c] times the identity.")
    return fig


COST_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")


def cost_bars(labels, values, xlabel, categories):
    """Horizontal bars on a log axis, each labelled with its value in scientific notation.

    labels, values: (k,) bar names and positive numbers; categories: (k,) what each bar stands for. Bars of
    one category share a colour (blue for the first category met, orange for the second, then green, pink),
    and the legend names the categories."""
    if len(categories) != len(labels) or len(values) != len(labels):
        raise ValueError(f"cost_bars: {len(labels)} labels, {len(values)} values and {len(categories)} categories;"
                         " give one value and one category per label")
    kinds = list(dict.fromkeys(categories))
    if len(kinds) > len(COST_COLOURS):
        raise ValueError(f"cost_bars: {len(kinds)} categories, at most {len(COST_COLOURS)} colours")
    colour = dict(zip(kinds, COST_COLOURS))
    fig = new_figure(6.5, 0.9 + 0.45 * len(labels))
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    for kind in kinds:
        rows = [k for k, c in enumerate(categories) if c == kind]
        ax.barh(y[rows], [values[k] for k in rows], color=colour[kind], label=kind)
    ax.set_xscale("log")
    ax.set_yticks(y, labels, fontsize=8)
    for yk, v in zip(y, values):
        ax.text(v, yk, f" {v:.1e}", va="center", fontsize=8)
    ax.set_xlim(right=max(values) * 1e3)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(kinds))
    fig.alt = (f"Horizontal bars, log scale, {words(xlabel)}: "
               + "; ".join(f"{words(str(k))} ({c}) {v:.1e}" for k, v, c in zip(labels, values, categories)) + ".")
    return fig


def check_errors(names, accumulate, overwrite, tolerance):
    """Grouped bars (log scale) of a gradient check's worst relative error per case, two variants each."""
    fig = new_figure(7, 3.0)
    ax = fig.add_subplot()
    x = np.arange(len(names))
    floor = 1e-16  # a zero error would vanish from a log axis
    ax.bar(x - 0.2, np.maximum(accumulate, floor), 0.4, label="accumulate: grad += ...", color="#0072b2")
    ax.bar(x + 0.2, np.maximum(overwrite, floor), 0.4, label="overwrite: grad = ...", color="#d55e00")
    ax.axhline(tolerance, color="0.3", linestyle=":", label=f"check tolerance ({tolerance:g})")
    ax.set_yscale("log")
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylim(1e-12, 10)
    ax.set_ylabel("worst relative error vs numeric")
    ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    fig.alt = (f"Pairs of bars, log scale, worst relative error against central differences per case, check "
               f"tolerance {tolerance:g} (dotted line): "
               + "; ".join(f"{k}: accumulate {a:.0e}, overwrite {o:.0e}" for k, a, o in zip(names, accumulate, overwrite))
               + ".")
    return fig
