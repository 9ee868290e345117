"""The shape explorer: vary H, m, n, seed, loss, convention and the traced entry (d, c), and watch every
step of the derivation hold.

Logic first, display second: `Settings.clamped()` and `compute()` are plain functions that tests drive
without a display; `Explorer` is a thin ipywidgets layer that redraws only the panels whose inputs changed.
"""
import asyncio
import html
from collections import Counter
from dataclasses import dataclass

from . import views
from .losses import LOSSES
from .steps import Problem, run_steps

# 12 keeps the Jacobian at most (H n) x (H m) = 144 x 144 = 20,736 numbers (166 KB, built by 288
# evaluations of W X), its picture at >= 2 pixels a cell and every table readable; a full update then
# takes ~19 ms median on 2 cores (`make bench`), far inside the 100 ms budget.
MAX_DIM = 12
MAX_SEED = 10**6
PANELS = ("matrices", "jacobian", "index_sum", "checks")


@dataclass(frozen=True)
class Settings:
    H: int = 3
    m: int = 4
    n: int = 5
    seed: int = 0
    loss: str = "squared_error"
    convention: str = "WX"
    d: int = 0  # the traced entry dL/dW_dc: d indexes the H outputs ...
    c: int = 0  # ... and c the m features

    def clamped(self):
        """Every value forced into range: H, m, n in 1..MAX_DIM, d < H, c < m, a known loss and convention."""
        def clip(v, lo, hi):
            return int(min(max(int(v), lo), hi))
        H, m, n = (clip(v, 1, MAX_DIM) for v in (self.H, self.m, self.n))
        return Settings(H, m, n, clip(self.seed, 0, MAX_SEED),
                        self.loss if self.loss in LOSSES else "squared_error",
                        self.convention if self.convention in ("WX", "XW") else "WX",
                        clip(self.d, 0, H - 1), clip(self.c, 0, m - 1))


def panel_keys(s):
    """What each panel depends on: a panel is redrawn only when its key changes."""
    data = (s.H, s.m, s.n, s.seed, s.convention)
    return {"matrices": data, "jacobian": data, "index_sum": data + (s.loss, s.d, s.c),
            "checks": data + (s.loss,)}


def compute(settings):
    """The clamped settings and the Problem (W, X, loss) they describe."""
    s = settings.clamped()
    p = Problem.make(s.H, s.m, s.n, s.seed, s.loss, s.convention)
    return s, p


def shapes_line(s):
    if s.convention == "WX":
        return (f"W ({s.H}×{s.m}) · X ({s.m}×{s.n}) = D ({s.H}×{s.n});  "
                f"dL/dW = G Xᵀ: ({s.H}×{s.n})({s.n}×{s.m}) = ({s.H}×{s.m})")
    return (f"X ({s.n}×{s.m}) · W ({s.m}×{s.H}) = D ({s.n}×{s.H});  "
            f"dL/dW = Xᵀ G: ({s.m}×{s.n})({s.n}×{s.H}) = ({s.m}×{s.H})")


def matrices_html(p):
    """W, X and D as coloured tables, in the order of the product."""
    if p.convention == "WX":
        items = ((p.W, "W", "i", "k"), (p.X, "X", "k", "j"), (p.D, "D = W X", "i", "j"))
    else:
        items = ((p.X, "X", "j (samples)", "k"), (p.W, "W", "k", "i"), (p.D, "D = X W", "j (samples)", "i"))
    return "".join(views.matrix_html(A, name, row_name=r, col_name=c) for A, name, r, c in items)


def jacobian_caption(p):
    J = p.jacobian_canonical
    H, n, _, m = J.shape
    transposed = "" if p.convention == "WX" else " (of Dᵀ = Wᵀ Xᵀ, so that the picture matches D = W X)"
    return (f"<b>dD/dW</b>{transposed} as an (H·n)×(H·m) = {H * n}×{H * m} matrix: row (i, j), column (d, c). "
            f"Only the {H} diagonal blocks i = d are nonzero, each a copy of Xᵀ ({n}×{m}): "
            f"{H * n * m} of {J.size} entries = 1/{H}.")


class _Live:
    """Redraw on control changes; inside a running kernel, a burst of moves is drawn once, at its end."""
    debounce = 0.03
    _pending = None

    def _schedule(self):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or not self.debounce:
            self.render()
        elif self._pending is None:
            self._pending = loop.call_later(self.debounce, self._deferred)

    def _deferred(self):
        self._pending = None
        self.render()

    def set(self, **values):
        """Set controls programmatically, as a learner would (e.g. .set(H=5)); the widgets clamp the values."""
        for k, v in values.items():
            self.controls[k].value = v
        return self

    def _show_error(self, exc):
        self.error.value = (f"<div style='color:#cf222e;border:1px solid #cf222e;padding:4px'>"
                            f"Could not update: {html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>")


class Explorer(_Live):
    """The widget: controls on top, the chosen panels below; `.widget` is what a notebook displays."""

    def __init__(self, settings=Settings(), panels=PANELS, debounce=0.03):
        import ipywidgets as w
        unknown = set(panels) - set(PANELS)
        if unknown:
            raise ValueError(f"unknown panels {sorted(unknown)}; choose from {PANELS}")
        self.settings, self.panels, self.debounce = settings.clamped(), tuple(panels), debounce
        s = self.settings
        slider = dict(continuous_update=False, style={"description_width": "initial"},
                      layout=w.Layout(width="220px"))
        self.controls = {
            "H": w.IntSlider(s.H, 1, MAX_DIM, description="H (outputs)", **slider),
            "m": w.IntSlider(s.m, 1, MAX_DIM, description="m (features)", **slider),
            "n": w.IntSlider(s.n, 1, MAX_DIM, description="n (samples)", **slider),
            "seed": w.BoundedIntText(s.seed, min=0, max=MAX_SEED, description="seed", layout=w.Layout(width="160px")),
            "loss": w.Dropdown(options=sorted(LOSSES), value=s.loss, description="loss",
                               layout=w.Layout(width="260px")),
            "convention": w.ToggleButtons(options=[("D = W X", "WX"), ("D = X W", "XW")], value=s.convention,
                                          style={"button_width": "80px"}),
            "d": w.IntSlider(s.d, 0, s.H - 1, description="d (row of G)", **slider),
            "c": w.IntSlider(s.c, 0, s.m - 1, description="c (row of X)", **slider),
        }
        for name, control in self.controls.items():
            control.observe(self._on_change, names="value")
        self.shapes = w.HTML()
        self.error = w.HTML()
        self.views = {k: w.HTML() for k in self.panels}
        self.jacobian_image = w.Image(format="png")
        self._drawn = {}
        self.redraws = Counter()  # panel -> how often it was redrawn (tests and `make bench` read it)
        c = self.controls
        rows = [w.HBox([c["H"], c["m"], c["n"], c["seed"]]), w.HBox([c["loss"], c["convention"]]),
                w.HBox([c["d"], c["c"]]) if "index_sum" in self.panels else w.HBox([]), self.shapes, self.error]
        body = [w.VBox([self.views[k], self.jacobian_image]) if k == "jacobian" else self.views[k]
                for k in self.panels]
        self.widget = w.VBox(rows + body)
        self.render()

    def _on_change(self, change):
        values = {k: c.value for k, c in self.controls.items()}
        self.settings = Settings(**values).clamped()
        # keep (d, c) pickable: their ranges follow H and m
        self.controls["d"].max, self.controls["c"].max = self.settings.H - 1, self.settings.m - 1
        self._schedule()

    def render(self):
        """Redraw the panels whose inputs changed; any error becomes a message in the widget."""
        try:
            s, p = compute(self.settings)
            self.shapes.value = f"<code>{html.escape(shapes_line(s))}</code>"
            keys = panel_keys(s)
            for panel in self.panels:
                if self._drawn.get(panel) == keys[panel]:
                    continue
                if panel == "checks":
                    table = run_steps(p)
                    verdict = "every step holds" if table else "a step FAILED"
                    self.views[panel].value = f"<b>{verdict}</b>" + table._repr_html_()
                elif panel == "matrices":
                    self.views[panel].value = matrices_html(p)
                elif panel == "jacobian":
                    self.views[panel].value = jacobian_caption(p)
                    png = views.jacobian_png(p.jacobian_canonical)
                    self.jacobian_image.width = str(views.png_width(png))  # natural size, not stretched
                    self.jacobian_image.value = png
                else:
                    G, X = (p.G, p.X) if p.convention == "WX" else (p.G.T, p.X.T)
                    self.views[panel].value = views.index_sum_html(G, X, s.d, s.c, p.convention)
                self._drawn[panel] = keys[panel]
                self.redraws[panel] += 1
            self.error.value = ""
        except Exception as exc:  # noqa: BLE001 - shown to the learner instead of a traceback
            self._drawn.clear()
            self._show_error(exc)

def explorer(H=3, m=4, n=5, seed=0, loss="squared_error", convention="WX", d=0, c=0, panels=PANELS):
    """Show the shape explorer: returns the widget (display it by leaving it last in a cell)."""
    return Explorer(Settings(H, m, n, seed, loss, convention, d, c), panels).widget


class ShapeCheck(_Live):
    """Sliders for H, m, n and a seed over any check(H, m, n, seed) that returns a CheckTable."""

    def __init__(self, check, H=3, m=4, n=5, seed=0, debounce=0.03):
        import ipywidgets as w
        self.check, self.debounce = check, debounce
        slider = dict(continuous_update=False, layout=w.Layout(width="220px"), style={"description_width": "initial"})
        self.controls = {k: w.IntSlider(min(max(int(v), 1), MAX_DIM), 1, MAX_DIM, description=k, **slider)
                         for k, v in (("H", H), ("m", m), ("n", n))}
        self.controls["seed"] = w.BoundedIntText(min(max(int(seed), 0), MAX_SEED), min=0, max=MAX_SEED,
                                                 description="seed", layout=w.Layout(width="160px"))
        for control in self.controls.values():
            control.observe(lambda change: self._schedule(), names="value")
        self.table, self.error = w.HTML(), w.HTML()
        self.widget = w.VBox([w.HBox(list(self.controls.values())), self.error, self.table])
        self.render()

    def render(self):
        try:
            table = self.check(**{k: c.value for k, c in self.controls.items()})
            verdict = "every check holds" if table else "a check FAILED"
            self.table.value = f"<b>{verdict}</b>" + table._repr_html_()
            self.error.value = ""
        except Exception as exc:  # noqa: BLE001 - shown to the learner instead of a traceback
            self._show_error(exc)

def vary_shapes(check, H=3, m=4, n=5, seed=0):
    """Show sliders for H, m, n, seed that re-run check(H, m, n, seed) -> CheckTable live."""
    return ShapeCheck(check, H, m, n, seed).widget
