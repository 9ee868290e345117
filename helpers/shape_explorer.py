"""The shape explorer: vary H, m, n, seed, loss, convention and the traced entry (d, c), and watch every
step of the derivation hold.

Logic first, display second: `Settings.clamped()`, `compute()` and the *_html / caption functions are plain
functions that tests drive without a display; `Explorer` is a thin ipywidgets layer that redraws only the
panels whose inputs changed (and only the view tab that is shown).

Index names (the same in labels, sliders, captions and the check table):
  i, j are the row and column of D; k is the feature index summed in D; the traced entry is
  d = an output (0..H-1), c = a feature (0..m-1), written in W's own index order.
  D = W X: i = output, j = sample; traced dL/dW[d, c] = Σ_j G[d, j] X[c, j].
  D = X W: i = sample, j = output; traced dL/dW[c, d] = Σ_i X[i, c] G[i, d].
The toggle keeps the numbers: D = X W uses the transposes of D = W X's W and X (Problem.make), so D, G and
dL/dW are shown transposed, and the traced entry moves from [d, c] to [c, d].
"""
import asyncio
import html
import math
import numbers
from collections import Counter, OrderedDict
from dataclasses import dataclass, fields
from functools import cache

from . import a11y, views
from . import steps as _steps
from .checks import TRIVIAL_TEXT, CheckResult, CheckTable
from .losses import LOSSES
from .steps import Problem

# 12 keeps the Jacobian at most (H n) x (H m) = 144 x 144 = 20,736 numbers (166 KB, built by 288
# evaluations of W X), its picture at >= 2 pixels a cell and every table readable (`make bench` times it).
MAX_DIM = 12
MAX_SEED = 10**6
PANELS = ("matrices", "jacobian", "index_sum", "checks")
VIEW_TITLES = {"matrices": "W, X, D", "jacobian": "Jacobian dD/dW", "index_sum": "traced entry dL/dW"}
CONVENTIONS = ("WX", "XW")


def whole_number(name, v, lo=None, hi=None):
    """v as an int clamped into [lo, hi]; a clear ValueError for None, text, bools, NaN, inf and fractions."""
    wanted = f"{name} must be a whole number" + (f" from {lo} to {hi}" if lo is not None else "")
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError(f"{wanted}, got {v!r} ({type(v).__name__})")
    if not math.isfinite(v) or v != int(v):
        raise ValueError(f"{wanted}, got {v!r}")
    return int(v) if lo is None else min(max(int(v), lo), hi)


def choice(name, v, options):
    """v if it is one of options, else a ValueError listing them (None included: a control must show a value)."""
    if not isinstance(v, str) or v not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {v!r}")
    return v


@dataclass(frozen=True)
class Settings:
    H: int = 3
    m: int = 4
    n: int = 5
    seed: int = 0
    loss: str = "squared_error"
    convention: str = "WX"
    d: int = 0  # the traced entry: d indexes the H outputs ...
    c: int = 0  # ... and c the m features (dL/dW[d, c] for D = W X, dL/dW[c, d] for D = X W)

    def clamped(self):
        """Numbers forced into range (H, m, n in 1..MAX_DIM, d < H, c < m); a ValueError naming the setting
        for anything that is not a whole number, an unknown loss or convention."""
        H, m, n = (whole_number(k, getattr(self, k), 1, MAX_DIM) for k in "Hmn")
        return Settings(H, m, n, whole_number("seed", self.seed, 0, MAX_SEED),
                        choice("loss", self.loss, LOSSES), choice("convention", self.convention, CONVENTIONS),
                        whole_number("d", self.d, 0, H - 1), whole_number("c", self.c, 0, m - 1))


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


def data_key(s):
    """What the Problem (W, X, loss) and the check table depend on."""
    return (s.H, s.m, s.n, s.seed, s.loss, s.convention)


def neighbours(s, first="H"):
    """The settings one slider step away (the slider moved last first): what an idle explorer computes ahead."""
    order = [first] + [k for k in "Hmn" if k != first] if first in "Hmn" else list("Hmn")
    out = []
    for k in order:
        for step in (-1, 1):
            v = getattr(s, k) + step
            if 1 <= v <= MAX_DIM:
                out.append(Settings(**{**s.__dict__, k: v, "d": 0, "c": 0}))
    return out


# The costly numbers behind the steps (Problem's cached properties), each computed as a piece of its own before
# the steps that use them: step 1 alone needs three of them, and a key press should wait for one piece at most.
PIECES = ("G", "G_numeric", "jacobian", "dW_numeric")


class Solved:
    """A Problem and its check table, computed step by step (so that the work can be spread over idle time)."""

    def __init__(self, s, explain=True):
        _, self.problem = compute(s)
        self.explain = explain  # False: the Jacobian caption describes the picture without giving its pattern away
        self.results = []
        self.table = None
        self._views = {}
        self._pieces = [k for k in PIECES if hasattr(type(self.problem), k)]

    def view(self, panel, s=None):
        """The drawing of a panel: matrices HTML, (caption, Jacobian PNG), or the traced entry (d, c) of settings
        s (only the last one drawn is kept)."""
        key = (panel, s.d, s.c) if panel == "index_sum" else panel
        if key not in self._views:
            p = self.problem
            if panel == "index_sum":
                self._views = {k: v for k, v in self._views.items() if k in PANELS}
            self._views[key] = (matrices_html(p) if panel == "matrices" else index_sum_view(p, s)
                                if panel == "index_sum" else
                                (jacobian_caption(p, self.explain), views.jacobian_png(p.jacobian)))
        return self._views[key]

    def advance(self):
        """Run the next step of the derivation's checks; True when the table is complete."""
        steps = _steps.STEPS
        if self._pieces:
            getattr(self.problem, self._pieces.pop(0))
        elif self.table is None:
            self.results.append(steps[len(self.results)](self.problem))
            if len(self.results) == len(steps):
                self.table = explorer_table(self.results, self.problem)
        return self.table is not None

    def finish(self):
        while not self.advance():
            pass
        return self.table


def shapes_line(s):
    if s.convention == "WX":
        return (f"W ({s.H}×{s.m}) · X ({s.m}×{s.n}) = D ({s.H}×{s.n});  "
                f"dL/dW = G Xᵀ: ({s.H}×{s.n})({s.n}×{s.m}) = ({s.H}×{s.m})")
    return (f"X ({s.n}×{s.m}) · W ({s.m}×{s.H}) = D ({s.n}×{s.H});  "
            f"dL/dW = Xᵀ G: ({s.m}×{s.n})({s.n}×{s.H}) = ({s.m}×{s.H})")


AXES = {  # (matrix, its name, rows, columns) in the order of the product
    "WX": (("W", "W", "i (outputs)", "k (features)"), ("X", "X", "k (features)", "j (samples)"),
           ("D", "D = W X", "i (outputs)", "j (samples)")),
    "XW": (("X", "X", "i (samples)", "k (features)"), ("W", "W", "k (features)", "j (outputs)"),
           ("D", "D = X W", "i (samples)", "j (outputs)")),
}


def matrices_html(p):
    """W, X and D as coloured tables, in the order of the product, rows and columns named."""
    return views.STYLE + "".join(views.matrix_html(getattr(p, a), name, row_name=r, col_name=c)
                                 for a, name, r, c in AXES[p.convention])


def jacobian_caption(p, explain=True):
    """The Jacobian picture's caption (see _jacobian_text) and its colour key."""
    key = " Purple negative, orange positive, white zero." if explain else " Purple negative, orange positive."
    return _jacobian_text(p, explain) + key + (" A minus bar marks each negative cell."
                                               if views.minus_bars(p.jacobian) else "")


def _jacobian_text(p, explain=True):
    """What the Jacobian picture shows, for the picture views.jacobian_png(p.jacobian) draws.

    explain=False (notebook 02, before 03 and 04 derive it): layout only, not the pattern of zeros."""
    J = p.jacobian
    rows, cols = J.shape[0] * J.shape[1], J.shape[2] * J.shape[3]
    if not explain:
        layout = "row (i, j), column (d, c)" if p.convention == "WX" else "row (i, j), column (c, d)"
        return (f"<b>dD/dW</b>, measured numerically, laid out as a matrix of {rows}×{cols}: {layout}. White cells are zero:"
                " which ones, and why? (Notebooks 03 and 04.)")
    if p.convention == "WX":
        H, n, _, m = J.shape
        return (f"<b>dD/dW</b> for D = W X as an (H·n)×(H·m) = {rows}×{cols} matrix: row (i, j), column (d, c). "
                f"dD<sub>ij</sub>/dW<sub>dc</sub> = X<sub>cj</sub> if i = d, else 0: "
                + (f"with H = 1 there is a single block, Xᵀ ({n}×{m}), and nothing to rule out (1/H = 1)."
                   if H == 1 else
                   f"only the {H} diagonal blocks i = d are nonzero, each a copy of Xᵀ ({n}×{m}): "
                   f"{H * n * m} of {J.size} entries = 1/{H}."))
    n, H, m, _ = J.shape
    return (f"<b>dD/dW</b> for D = X W as an (n·H)×(m·H) = {rows}×{cols} matrix: row (i, j), column (c, d). "
            f"dD<sub>ij</sub>/dW<sub>cd</sub> = X<sub>ic</sub> if j = d, else 0: each {H}×{H} block (i, c) is "
            f"X<sub>ic</sub> times the identity, "
            + ("here the single number X<sub>ic</sub>: with H = 1 nothing is ruled out (1/H = 1)." if H == 1 else
               f"so only {n * m * H} of {J.size} entries = 1/{H} are nonzero."))


def index_sum_view(p, s):
    """The traced entry's panel for problem p and settings s."""
    return views.index_sum_html(p.G, p.X, s.d, s.c, p.convention)


SPARSITY = 2  # the step whose claim is that entries are zero: with H = 1 there are none to be zero


@dataclass(repr=False)
class Row(CheckResult):
    """A check-table row as the explorer shows it: `note_text`, when set, is its note."""
    note_text: str = None

    def note(self):
        return super().note() if self.note_text is None else self.note_text


def _row(r, **changes):
    return Row(**{**{f.name: getattr(r, f.name) for f in fields(CheckResult)}, **changes})


def vacuous(result, p):
    """The sparsity step's result, TRIVIAL (not PASS) when the claim has no entry to test: with H = 1 every
    entry has i = d (j = d for D = X W), so "0 unless i = d" rules nothing out."""
    H = p.sizes[0]
    if H != 1 or result.status != "PASS":
        return result
    same = "i = d" if p.convention == "WX" else "j = d"
    reason = f"with H = 1 every entry has {same}, so the sparsity claim rules nothing out"
    return _row(result, verdict="TRIVIAL", reason=reason,
                note_text="; ".join(filter(None, ["nothing to rule out (H = 1)", result.detail])))


def explorer_table(results, p):
    """The steps' results for Problem p as one CheckTable, a vacuous sparsity row marked TRIVIAL."""
    return CheckTable(vacuous(r, p) if k == SPARSITY else r for k, r in enumerate(results))


def short(table):
    """The rows with a TRIVIAL reason (said once, in the verdict line) shown without it."""
    def one(r):
        if not (getattr(r, "trivial", False) and r.reason):
            return r
        if isinstance(r, Row) and r.note_text is not None and r.reason not in r.note_text:
            return r
        return _row(r, note_text="; ".join(filter(None, [TRIVIAL_TEXT, r.detail])))
    return CheckTable(one(r) for r in table)


def table_verdict(table, noun):
    """The line above a check table: every check holds / only trivially (each reason said once) / which failed."""
    if not hasattr(table, "summary"):
        return f"every {noun} holds" if table else f"a {noun} FAILED"
    trivial = table.trivial
    if not table or not trivial:
        return table.summary(noun)
    reasons = "; ".join(dict.fromkeys(r.reason or "the gradient is zero" for r in trivial))
    return f"every {noun} holds, but {len(trivial)} of {len(table)} only trivially: {reasons}"


def row_verdict(r):
    """One row's verdict in words: holds / holds only trivially: why / FAILED / INCONCLUSIVE."""
    status = getattr(r, "status", "PASS" if r else "FAIL")
    return {"PASS": "holds", "FAIL": "FAILED", "INCONCLUSIVE": "INCONCLUSIVE"}.get(
        status, f"holds only trivially: {getattr(r, 'reason', '') or 'the gradient is zero'}")


# The check table, compact: a widget's HTML has a 28 px line height, which made each row two lines tall.
CHECKS_STYLE = ("<style>.mg-checks{line-height:1.3}.mg-checks table{font-size:12px}"
                ".mg-checks td,.mg-checks th{padding:2px 6px;line-height:1.3}"
                # ipywidgets' unselected tab labels are 4.2:1 in JupyterLab Dark; the main text colour reads
                ".mg-tabs .lm-TabBar-tab,.mg-tabs .lm-TabBar-tabLabel{color:var(--jp-ui-font-color1)}</style>")


def checks_html(table, noun="step", focus=None):
    """The verdict line (saying when a step held only trivially, and why: once, not in every row) above the
    check table.

    focus: the index of one row (a notebook's own step), shown on its own; the other rows folded below it."""
    if focus is None:
        return (f"{CHECKS_STYLE}<div class='mg-checks'><b>{html.escape(table_verdict(table, noun))}</b>"
                f"{short(table)._repr_html_()}</div>")
    own = CheckTable([table[focus]])
    rest = CheckTable(r for k, r in enumerate(table) if k != focus)
    return (f"{CHECKS_STYLE}<div class='mg-checks'><b>This notebook's {noun}: "
            f"{html.escape(row_verdict(own[0]))}</b>{short(own)._repr_html_()}"
            f"<details><summary>The other {len(rest)} {noun}s: {html.escape(table_verdict(rest, noun))}</summary>"
            f"{short(rest).html(legend=False)}</details></div>")  # the legend link once, under the first table


def as_table(result, check):
    """What a vary_shapes check returned, as something with a verdict and an HTML table; else a clear error."""
    from .checks import CheckResult, CheckTable
    name = getattr(check, "__name__", "the check")
    if result is None:
        raise TypeError(f"{name}(H, m, n, seed) returned None: did you forget `return`? It must return a "
                        f"CheckTable (e.g. CheckTable([gradcheck(...)])) or a CheckResult")
    if isinstance(result, CheckResult):
        return CheckTable([result])
    if isinstance(result, CheckTable):
        return result
    raise TypeError(f"{name}(H, m, n, seed) returned a {type(result).__name__}; it must return a CheckTable "
                    f"(e.g. CheckTable([gradcheck(...)])) or a CheckResult")


def error_html(exc):
    return (f"<div style='color:var(--jp-error-color1, #cf222e);border:1px solid currentColor;padding:4px'>"
            f"Could not update: {html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>")


@cache
def _widgets():
    """ipywidgets subclasses that refuse what would desync a control from the panels (built on first use)."""
    import ipywidgets as w
    from traitlets import Any, TraitError, observe, validate

    class Slider(w.IntSlider):
        """An IntSlider whose max cannot be raised past `cap` (the panels could not follow)."""
        cap = MAX_DIM

        @validate("max")
        def _validate_max(self, proposal):
            if proposal.value > self.cap:
                raise TraitError(f"{self.description}: the slider stops at {self.cap} (the explorer's limit; "
                                 f"the Jacobian grows as H²·m·n)")
            return super()._validate_max(proposal)

    class Seed(w.BoundedIntText):
        @validate("max")
        def _validate_max(self, proposal):
            if proposal.value > MAX_SEED:
                raise TraitError(f"seed: at most {MAX_SEED}")
            return super()._validate_max(proposal)

    def no_none(cls, what):
        """cls (a selection widget) that refuses None: its control would show nothing while the panels used
        some default.  (The value trait allows None in ipywidgets, which skips validators for None.)"""
        def refuse(self):
            return TraitError(f"{what} cannot be None: choose one of {list(self._options_values)}")

        class Strict(cls):
            value = Any(None, help="Selected value", allow_none=False)

            @validate("value")
            def _validate_value(self, proposal):
                if proposal.value is None:
                    raise refuse(self)
                return super()._validate_value(proposal)

            @observe("index")
            def _propagate_index(self, change):  # replaces the base class's observer of the same name
                if change.new is None and change.old is not None:
                    self.index = change.old
                    raise refuse(self)
                super()._propagate_index(change)
        Strict.__name__ = Strict.__qualname__ = cls.__name__
        return Strict

    class Box(w.VBox):
        """A VBox whose text/plain (what a notebook shows before the cell has run) is one sentence; a hidden
        last child names its slider handles for screen readers (a11y.NAME_SLIDERS)."""
        def __init__(self, children, text):
            super().__init__(list(children) + [w.HTML(a11y.NAME_SLIDERS, layout=w.Layout(display="none"))])
            self._text = text

        def __repr__(self):
            return self._text

    return dict(Slider=Slider, Seed=Seed, Dropdown=no_none(w.Dropdown, "loss"),
                ToggleButtons=no_none(w.ToggleButtons, "convention"), Box=Box)


# A slider's label is its accessible name: what the size means, not just its letter.
SIZE_NAMES = {"H": "H (outputs)", "m": "m (features)", "n": "n (samples)"}

# Each slider's track is >= 200 px (about 17 px a step for 12 values): description + track + readout.
SLIDER = dict(continuous_update=False, style={"description_width": "90px"})
SLIDER_WIDTH = "394px"


# Between two pieces of look-ahead work, the event loop runs for this long: a kernel message (a key press)
# takes several loop turns from the socket to the handler, and must not wait for a piece at each turn.
PAUSE = 0.004


class _Live:
    """Redraw on control changes.  Inside a running kernel a move is drawn at once; moves that arrive within
    `debounce` seconds of the last drawing are drawn once, at the end of the burst."""
    debounce = 0.03
    _pending = None  # (loop, timer handle) of a deferred redraw
    _last = float("-inf")  # loop time when the last drawing finished

    def _schedule(self):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if self._pending is not None:
            owner, handle = self._pending
            if owner is loop and not owner.is_closed() and not handle.cancelled():
                return  # a redraw is already due in this loop; it will read the latest values
            handle.cancel()  # left over from a loop that has closed or stopped: drop it, or nothing redraws again
            self._pending = None
        if loop is None or not self.debounce or loop.time() - self._last >= self.debounce:
            self._draw(loop)
        else:
            self._pending = (loop, loop.call_later(self.debounce, self._deferred))

    def _deferred(self):
        self._pending = None
        self._draw(asyncio.get_running_loop())

    def _draw(self, loop):
        self.render()
        if loop is not None:
            self._last = loop.time()

    def set(self, **values):
        """Set controls programmatically, as a learner would (e.g. .set(H=5)); the values are clamped."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; choose from {sorted(self.controls)}")
        for k, v in values.items():
            control = self.controls[k]
            if k in "Hmndc" or k == "seed":  # a clear error for None, text, NaN; the control clamps the rest
                v = whole_number(k, v)
            control.value = v
        return self

    def _show_error(self, exc):
        self.error.value = error_html(exc)


class Explorer(_Live):
    """The widget: controls and the check table on top, the chosen views below (tabs when there are several);
    `.widget` is what a notebook displays."""

    def __init__(self, settings=Settings(), panels=PANELS, debounce=0.03, cache=16, ahead=True, focus=None):
        """cache: how many (Problem, check table) pairs to keep; ahead: in a running kernel, use idle time to
        compute the checks one slider step away (in small pieces, so a key press still gets through);
        focus: the index (0-5) of the step a notebook is about: its row shown, the other rows folded below it."""
        import ipywidgets as w
        unknown = set(panels) - set(PANELS)
        if unknown:
            raise ValueError(f"unknown panels {sorted(unknown)}; choose from {PANELS}")
        n_steps = len(_steps.STEPS)
        if focus is not None and (isinstance(focus, bool) or not isinstance(focus, int) or not 0 <= focus < n_steps):
            raise ValueError(f"focus must be a step index from 0 to {n_steps - 1} (or None for no focus), got {focus!r}")
        self.focus = focus
        W = _widgets()
        self.settings, self.panels, self.debounce = settings.clamped(), tuple(panels), debounce
        self.cache, self.ahead = cache, ahead
        self._solved = OrderedDict()  # data_key -> Solved, least recently used first
        self._ahead_task = None
        self._moved = "H"
        self.hits = Counter()  # "hit" / "miss": was the check table ready when a move needed it
        s = self.settings
        size = dict(SLIDER, layout=w.Layout(width=SLIDER_WIDTH))
        self.controls = {
            "H": W["Slider"](s.H, 1, MAX_DIM, description="H (outputs)", **size),
            "m": W["Slider"](s.m, 1, MAX_DIM, description="m (features)", **size),
            "n": W["Slider"](s.n, 1, MAX_DIM, description="n (samples)", **size),
            "seed": W["Seed"](s.seed, min=0, max=MAX_SEED, description="seed", layout=w.Layout(width="150px")),
            "loss": W["Dropdown"](options=sorted(LOSSES), value=s.loss, description="loss",
                                  layout=w.Layout(width="260px")),
            "convention": W["ToggleButtons"](options=[("D = W X", "WX"), ("D = X W", "XW")], value=s.convention,
                                             style={"button_width": "80px"}),
        }
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.index_row = w.HBox([], layout=w.Layout(flex_flow="row wrap"))
        for name in "dc":
            self._new_index_slider(name)
        self.shapes, self.error = w.HTML(), w.HTML()
        self.views = {k: w.HTML() for k in self.panels}
        self.jacobian_image = w.Image(format="png")
        self.jacobian_image.add_class("mg-jacobian")  # a11y.NAME_SLIDERS gives it the caption as alt text
        self._drawn = {}
        self._syncing = False
        self.redraws = Counter()  # panel -> how often it was redrawn (tests and `make bench` read it)
        c = self.controls
        wrap = w.Layout(flex_flow="row wrap")
        rows = [w.HBox([c["H"], c["m"], c["n"]], layout=wrap), w.HBox([c["seed"], c["loss"], c["convention"]])]
        for row in rows + [self.index_row]:
            row.add_class("mg-controls")
        if "index_sum" in self.panels:
            rows.append(self.index_row)
        rows += [self.shapes, self.error]
        if "checks" in self.panels:
            rows.append(self.views["checks"])
        shown = [self._view(k) for k in self.panels if k != "checks"]
        self.tabs = None
        if len(shown) > 1:  # several views: tabs, so that controls, checks and one view fit on one screen
            self.tabs = w.Tab(shown)
            self.tabs.add_class("mg-tabs")  # CHECKS_STYLE: tab labels in the theme's main text colour
            for i, k in enumerate(k for k in self.panels if k != "checks"):
                self.tabs.set_title(i, VIEW_TITLES[k])  # set_title, not titles=: ipywidgets 7 (Colab's) has only it
            self.tabs.observe(lambda change: self.render(), names="selected_index")
            rows.append(self.tabs)
        else:
            rows += shown
        self.widget = W["Box"](rows, "Shape explorer: run this cell to vary H, m, n, the loss and the convention, "
                                     "and see every step checked.")
        self.render(every=True)  # every tab drawn once: a saved notebook or static page shows them all

    def _view(self, panel):
        import ipywidgets as w
        return w.VBox([self.views[panel], self.jacobian_image]) if panel == "jacobian" else self.views[panel]

    def _new_index_slider(self, name):
        """(Re)build the d or c slider for the current H or m.  A new slider, not a new max: the front end's
        slider (noUiSlider) keeps its first range for the Home and End keys, whatever max is set later."""
        import ipywidgets as w
        s = self.settings
        top, value = (s.H - 1, s.d) if name == "d" else (s.m - 1, s.c)
        label = "d (output)" if name == "d" else "c (feature)"
        slider = _widgets()["Slider"](value, 0, top, description=label, **SLIDER,
                                      layout=w.Layout(width=SLIDER_WIDTH))
        slider.cap = MAX_DIM - 1
        slider.observe(self._on_change, names="value")
        old = self.controls.get(name)
        self.controls[name] = slider
        self.index_row.children = [self.controls[k] for k in "dc" if k in self.controls]
        if old is not None:
            old.unobserve(self._on_change, names="value")
            old.close()

    def _on_change(self, change):
        if self._syncing:
            return
        values = {k: c.value for k, c in self.controls.items()}
        self._moved = next((k for k, c in self.controls.items() if c is change.owner), self._moved)
        self.settings = Settings(**values).clamped()
        self._schedule()  # the panels first: the controls' own updates (below) are not what the learner waits for
        self._sync_controls()

    def _sync_controls(self):
        """Make every control show the value the panels use; (d, c) ranges follow H and m."""
        s = self.settings
        self._syncing = True
        try:
            if self.controls["d"].max != s.H - 1:
                self._new_index_slider("d")
            if self.controls["c"].max != s.m - 1:
                self._new_index_slider("c")
            for k, control in self.controls.items():
                if control.value != getattr(s, k):
                    control.value = getattr(s, k)
        finally:
            self._syncing = False

    def shown(self, panel):
        """True if the panel is on screen (the checks always; a view if it has no tab or its tab is selected)."""
        if self.tabs is None or panel == "checks":
            return True
        return [k for k in self.panels if k != "checks"].index(panel) == (self.tabs.selected_index or 0)

    def show(self, panel):
        """Select the tab of a view panel (as a click on it would); returns self."""
        if self.tabs is not None and panel != "checks":
            self.tabs.selected_index = [k for k in self.panels if k != "checks"].index(panel)
        return self

    def solved(self, s):
        """The (cached) Problem and step-by-step check table for settings s."""
        key = data_key(s)
        if key not in self._solved:
            self._solved[key] = Solved(s, explain=self.focus is None or self.focus >= 2)
        self._solved.move_to_end(key)
        while len(self._solved) > max(self.cache, 1):
            self._solved.popitem(last=False)
        return self._solved[key]

    def render(self, every=False):
        """Redraw the shown panels (every panel if every=True) whose inputs changed; errors become a message."""
        try:
            s = self.settings.clamped()
            solved = self.solved(s)
            self.shapes.value = f"<code>{html.escape(shapes_line(s))}</code>"
            keys = panel_keys(s)
            for panel in self.panels:
                if self._drawn.get(panel) == keys[panel] or not (every or self.shown(panel)):
                    continue
                self.draw(panel, s, solved)
                self._drawn[panel] = keys[panel]
                self.redraws[panel] += 1
            self.error.value = ""
        except Exception as exc:  # noqa: BLE001 - shown to the learner instead of a traceback
            self._drawn.clear()
            self._solved.clear()
            self._show_error(exc)
            return
        self._look_ahead(s)

    def draw(self, panel, s, solved):
        if panel == "checks":
            self.hits["hit" if solved.table is not None else "miss"] += 1
            self.views[panel].value = checks_html(solved.finish(), focus=self.focus)
        elif panel == "matrices":
            self.views[panel].value = solved.view(panel)
        elif panel == "jacobian":
            self.views[panel].value, png = solved.view(panel)
            with self.jacobian_image.hold_sync():  # one message for the three
                self.jacobian_image.width = str(views.png_width(png))  # natural size, not stretched
                self.jacobian_image.value = png
                # its text alternative is the caption above it, copied to the <img>'s alt by a11y.NAME_SLIDERS
                # (a tooltip would do, but ipywidgets 8's Image view fails on one: it has no description)
        else:
            self.views[panel].value = solved.view(panel, s)

    def _look_ahead(self, s):
        """In a running kernel, start computing the neighbours of s in idle time (dropping an older start)."""
        if self._ahead_task is not None:
            self._ahead_task.cancel()
            self._ahead_task = None
        if not (self.ahead and self.cache > 1 and "checks" in self.panels):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        shown = [k for k in ("matrices", "jacobian", "index_sum") if k in self.panels and self.shown(k)]
        self._ahead_task = loop.create_task(self._compute_ahead(s, self._moved, shown))

    async def _compute_ahead(self, s, first, shown=()):
        await asyncio.sleep(max(self.debounce, 0.01))  # after a burst, not during it
        for t in neighbours(s, first)[: self.cache - 1]:
            try:
                solved = self.solved(t)
                while not solved.advance():  # one step at a time: a key press waits for one step at most
                    await asyncio.sleep(PAUSE)
                for panel in shown:  # and the view on screen, for the traced entry shown now
                    await asyncio.sleep(PAUSE)
                    solved.view(panel, Settings(**{**t.__dict__, "d": s.d, "c": s.c}).clamped())
            except Exception:  # noqa: BLE001 - a neighbour that fails is shown (as an error) if visited
                self._solved.pop(data_key(t), None)
            self.solved(s)  # keep the shown one the most recently used
            await asyncio.sleep(0)


def explorer(H=3, m=4, n=5, seed=0, loss="squared_error", convention="WX", d=0, c=0, panels=PANELS, focus=None):
    """Show the shape explorer: returns the widget (display it by leaving it last in a cell).

    H, m, n: whole numbers, clamped into 1..12; d < H, c < m likewise; a clear ValueError otherwise.
    focus: the step (0-5, as in check_derivation's rows) a notebook is about: its row shown, the others folded.
    convention="XW" shows the transposes of the "WX" numbers (same seed): dL/dW comes out transposed too."""
    return Explorer(Settings(H, m, n, seed, loss, convention, d, c), panels, focus=focus).widget


class ShapeCheck(_Live):
    """Sliders for H, m, n and a seed over any check(H, m, n, seed) that returns a CheckTable (or CheckResult)."""

    def __init__(self, check, H=3, m=4, n=5, seed=0, debounce=0.03):
        import ipywidgets as w
        if not callable(check):
            raise TypeError(f"vary_shapes needs a function check(H, m, n, seed), got {type(check).__name__}")
        W = _widgets()
        start = {k: whole_number(k, v, 1, MAX_DIM) for k, v in (("H", H), ("m", m), ("n", n))}
        self.check, self.debounce = check, debounce
        self.controls = {k: W["Slider"](v, 1, MAX_DIM, description=SIZE_NAMES[k], **SLIDER,
                                        layout=w.Layout(width=SLIDER_WIDTH))
                         for k, v in start.items()}
        self.controls["seed"] = W["Seed"](whole_number("seed", seed, 0, MAX_SEED), min=0, max=MAX_SEED,
                                          description="seed", layout=w.Layout(width="150px"))
        for control in self.controls.values():
            control.observe(lambda change: self._schedule(), names="value")
        self.table, self.error = w.HTML(), w.HTML()
        name = getattr(check, "__name__", "the check")
        row = w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))
        self.widget = W["Box"]([row, self.error, self.table],
                               f"Sliders for H, m, n and seed that re-run {name}: run this cell to use them."[:110])
        self.render()

    def render(self):
        try:
            table = as_table(self.check(**{k: c.value for k, c in self.controls.items()}), self.check)
            self.table.value = checks_html(table, "check")
            self.error.value = ""
        except Exception as exc:  # noqa: BLE001 - shown to the learner instead of a traceback
            self.table.value = ""
            self._show_error(exc)


def vary_shapes(check, H=3, m=4, n=5, seed=0):
    """Show sliders for H, m, n, seed that re-run check(H, m, n, seed) -> CheckTable live.

    H, m, n: whole numbers clamped into 1..12, seed into 0..10**6; a clear ValueError otherwise."""
    return ShapeCheck(check, H, m, n, seed).widget
