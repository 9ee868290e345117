"""The explorer's logic without a display: clamping, selective redraws, errors shown not raised, debouncing."""
import asyncio
import struct

import numpy as np
import pytest

from helpers import shape_explorer as ex
from helpers import views
from helpers.shape_explorer import MAX_DIM, Explorer, Settings


def test_clamping():
    s = Settings(H=0, m=99, n=-3, seed=-5, loss="sum", convention="XW", d=7, c=-1).clamped()
    assert (s.H, s.m, s.n, s.seed, s.loss, s.convention, s.d, s.c) == (1, MAX_DIM, 1, 0, "sum", "XW", 0, 0)
    assert Settings(H=np.int64(4), m=5.0).clamped().H == 4
    assert (Settings(H=3, m=2, d=5, c=5).clamped().d, Settings(H=3, m=2, d=5, c=5).clamped().c) == (2, 1)


def test_d_and_c_follow_H_and_m():
    e = Explorer(Settings(H=5, m=5, d=4, c=4))
    e.set(H=2)
    assert e.settings.d == 1 and e.controls["d"].max == 1 and e.controls["d"].value == 1
    e.set(m=1)
    assert e.settings.c == 0 and e.controls["c"].max == 0
    e.show("index_sum")
    assert "dL/dW[1, 0]" in e.views["index_sum"].value


def test_a_new_range_for_d_and_c_comes_with_a_new_slider():
    """The browser's slider keeps its first range for the Home/End keys (noUiSlider's options.spectrum is not
    updated by updateOptions), so when H or m changes, d and c get new sliders built with the new range."""
    e = Explorer(Settings(H=3, m=4, d=1, c=2))
    d_old, c_old = e.controls["d"], e.controls["c"]
    e.set(H=12)
    d_new = e.controls["d"]
    assert d_new is not d_old and d_old.comm is None  # the old one is closed
    assert (d_new.min, d_new.max, d_new.value) == (0, 11, 1) and e.controls["c"] is c_old
    assert list(e.index_row.children) == [d_new, c_old]
    d_new.value = 11  # what the End key sends
    assert e.settings.d == 11
    e.set(m=12)
    assert e.controls["c"] is not c_old and e.controls["c"].max == 11 and e.controls["d"] is d_new
    e.set(seed=3, n=7, loss="sum")  # a change that keeps H and m keeps the sliders
    assert e.controls["d"] is d_new


def test_no_control_can_show_a_value_the_panels_do_not_use():
    from traitlets import TraitError
    e = Explorer(Settings(H=3, m=4))
    for name in ("H", "m", "n"):
        with pytest.raises(TraitError, match="stops at 12"):
            e.controls[name].max = 100
        e.set(**{name: 100})
        assert e.controls[name].value == getattr(e.settings, name) == MAX_DIM
    with pytest.raises(TraitError, match="stops at 11"):
        e.controls["d"].max = 20
    e.controls["d"].max = 11  # within the cap but past H - 1: the explorer puts it back
    assert e.controls["d"].max == e.settings.H - 1
    with pytest.raises(TraitError, match="seed: at most"):
        e.controls["seed"].max = 10**9
    for name in ("loss", "convention"):
        for attr in ("value", "index"):
            with pytest.raises(TraitError, match=f"{name} cannot be None: choose one of"):
                setattr(e.controls[name], attr, None)
            assert e.controls[name].value == getattr(e.settings, name) is not None


@pytest.mark.parametrize("bad", [None, "abc", float("nan"), float("inf"), 2.5, True, [3]])
def test_odd_numbers_give_a_clear_error_naming_the_setting(bad):
    for name in ("H", "m", "n", "seed", "d", "c"):
        with pytest.raises(ValueError, match=f"{name} must be a whole number"):
            ex.explorer(**{name: bad})
        with pytest.raises(ValueError, match=f"{name} must be a whole number"):
            Explorer().set(**{name: bad})
    for name in ("H", "m", "n", "seed"):
        with pytest.raises(ValueError, match=f"{name} must be a whole number"):
            ex.vary_shapes(lambda H, m, n, seed: None, **{name: bad})
    for name in ("loss", "convention"):
        with pytest.raises(ValueError, match=f"{name} must be one of"):
            ex.explorer(**{name: None if bad is None else str(bad)})


def test_the_stored_output_before_the_cell_runs_is_a_sentence_not_a_widget_repr():
    from helpers import CheckTable
    for widget in (ex.explorer(), ex.vary_shapes(lambda H, m, n, seed: CheckTable([]))):
        text = widget._repr_mimebundle_()["text/plain"]
        assert "run this cell" in text and not text.startswith(("VBox", "Box")) and len(text) <= 110
        assert widget._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]["model_id"]


def test_sliders_are_wide_enough_to_drag():
    e = Explorer()
    for name in "Hmndc":
        c = e.controls[name]
        track = int(c.layout.width.rstrip("px")) - int(c.style.description_width.rstrip("px")) - 45  # readout
        assert track >= 200, (name, track)


def test_d_equals_x_w_uses_one_naming_everywhere():
    """i, j = row, column of D; d = output, c = feature; dL/dW[c, d] = Σ_i X[i, c] G[i, d] (samples i)."""
    e = Explorer(Settings(H=3, m=4, n=5, convention="XW", d=1, c=2))
    matrices = e.views["matrices"].value
    assert matrices.count("i (samples)") == 2 and matrices.count("j (outputs)") == 2
    assert "j (samples)" not in matrices and "i (outputs)" not in matrices
    e.show("index_sum")
    traced = e.views["index_sum"].value
    assert "dL/dW[2, 1] = Σ<sub>i</sub> X[i, 2] · G[i, 1]" in traced and "column c = 2" in traced
    assert "column d = 1" in traced and "j (samples)" not in traced
    checks = e.views["checks"].value
    assert "dL/dW_cd = Σ_i X_ic · G_id" in checks and "unless j = d" in checks
    assert (e.controls["d"].description, e.controls["c"].description) == ("d (output)", "c (feature)")
    # the sum shown is the entry of an independent numeric gradient
    p = ex.Problem.make(3, 4, 5, 0, "squared_error", "XW")
    from helpers import numerical_gradient
    dW = numerical_gradient(p.f, p.W.copy())
    assert f"= {dW[2, 1]:.4f}</b>" in traced
    e.set(convention="WX")
    assert "dL/dW[1, 2] = Σ<sub>j</sub> G[1, j] · X[2, j]" in e.views["index_sum"].value


def test_a_vacuous_check_shows_its_verdict_and_reason():
    """H = 1 with softmax cross-entropy: L is constant, G = 0; the explorer must not just say every step holds."""
    e = Explorer(Settings(H=1, m=3, n=4, loss="softmax_cross_entropy"))
    checks = e.views["checks"].value
    assert "only trivially" in checks and "TRIVIAL" in checks and "H = 1" in checks
    assert "<b>every step holds</b><table" not in checks
    e.set(H=2)
    assert ("<b>every step holds</b><table" in e.views["checks"].value)


def test_every_step_holds_in_the_table_for_every_loss_and_convention():
    e = Explorer(Settings(H=4, m=3, n=2))
    for convention in ("WX", "XW"):
        for loss in ("sum", "squared_error", "softmax_cross_entropy", "logsumexp", "log_cosh"):
            e.set(convention=convention, loss=loss)
            assert ("<b>every step holds</b><table" in e.views["checks"].value), (convention, loss)
            assert e.views["checks"].value.count("PASS") == 6 and e.error.value == ""


def test_only_the_panels_whose_inputs_changed_are_redrawn():
    e = Explorer(Settings(H=3, m=3, n=3), panels=("index_sum", "checks"))  # one view: no tabs
    base = dict(e.redraws)
    e.set(d=2)
    assert e.redraws["index_sum"] == base["index_sum"] + 1
    assert e.redraws["checks"] == base["checks"]
    e.set(loss="logsumexp")
    assert e.redraws["checks"] == base["checks"] + 1 and e.redraws["index_sum"] == base["index_sum"] + 2
    e.set(H=4)
    assert all(e.redraws[k] >= base[k] + 1 for k in ("index_sum", "checks"))
    e = Explorer(Settings(H=3, m=3, n=3), panels=("matrices", "jacobian"))
    e.set(d=1)  # no panel depends on (d, c) here
    assert dict(e.redraws) == {"matrices": 1, "jacobian": 1}


def test_views_in_tabs_are_drawn_when_shown_and_up_to_date():
    e = Explorer(Settings(H=2, m=3, n=4))
    # at first every tab is drawn (a saved notebook or a static page shows the tabs from the saved state)
    assert e.tabs is not None and e.redraws == {k: 1 for k in ex.PANELS}
    assert all(e.views[k].value for k in ex.PANELS) and e.jacobian_image.value
    e.set(H=3, n=5)
    assert e.redraws["jacobian"] == 1 and "W (3×3)" in e.shapes.value  # then only the tab on screen
    e.show("jacobian")
    assert e.redraws["jacobian"] == 2 and "15×9" in e.views["jacobian"].value
    e.show("index_sum").show("jacobian")  # unchanged settings: nothing redrawn
    assert e.redraws["jacobian"] == 2


def test_shape_change_updates_the_shown_output():
    e = Explorer(Settings(H=2, m=3, n=4))
    e.show("jacobian").show("matrices")
    before = (e.views["matrices"].value, e.jacobian_image.value, e.shapes.value)
    e.set(H=3)
    e.show("jacobian").show("matrices")
    after = (e.views["matrices"].value, e.jacobian_image.value, e.shapes.value)
    assert all(a != b for a, b in zip(before, after))
    assert "W (3×3) · X (3×4) = D (3×4)" in e.shapes.value


def test_an_error_is_shown_in_the_widget_not_raised(monkeypatch):
    e = Explorer(Settings())

    def broken(settings):
        raise ValueError("H = 2 and m = 3 do not fit")

    monkeypatch.setattr(ex, "compute", broken)
    e.set(H=2)  # must not raise
    assert "Could not update: ValueError: H = 2 and m = 3 do not fit" in e.error.value
    monkeypatch.undo()
    e.set(H=3)
    assert e.error.value == ""


def test_a_burst_of_slider_moves_is_drawn_at_once_then_once_more_with_the_final_value():
    async def burst():
        e = Explorer(Settings(H=2), debounce=0.05)
        before = e.redraws["matrices"]
        e.set(H=3)  # after a quiet spell: drawn at once, no added delay
        first = e.redraws["matrices"] - before
        for H in (4, 5, 6, 7):
            e.set(H=H)
        await asyncio.sleep(0.15)
        return e, first, e.redraws["matrices"] - before

    e, first, redraws = asyncio.run(burst())
    assert first == 1 and redraws == 2 and "W (7×" in e.shapes.value


def test_a_redraw_pending_when_its_event_loop_closed_does_not_block_later_redraws():
    e = Explorer(Settings(H=2), debounce=0.05)

    async def leave_one_pending():
        e.set(H=3)
        e.set(H=4)  # deferred; the loop closes before it fires

    asyncio.run(leave_one_pending())
    assert e._pending is not None and "W (3×" in e.shapes.value
    e.set(H=5)  # no loop now: drawn at once
    assert "W (5×" in e.shapes.value and e._pending is None

    async def later():
        e.set(H=6)  # drawn at once or deferred (within debounce of the last drawing): either way, drawn
        await asyncio.sleep(0.15)

    e._pending = None
    asyncio.run(leave_one_pending())
    asyncio.run(later())  # a new loop: the stale handle is dropped and this move is drawn
    assert "W (6×" in e.shapes.value
    s = ex.ShapeCheck(lambda H, m, n, seed: None, debounce=0.05)

    async def pending_check():
        s.set(H=4)
        s.set(H=5)

    asyncio.run(pending_check())
    s.set(H=6)
    assert s._pending is None


def test_unknown_panel():
    with pytest.raises(ValueError, match="unknown panels"):
        Explorer(panels=("jacobian", "teapot"))


def test_views():
    A = np.arange(6.0).reshape(2, 3) - 2
    html = views.matrix_html(A, "W", highlight_row=1)
    assert "2×3" in html and html.count("<td") == 6 and html.count("class='hl'") == 3 and "&#9654;&nbsp;1" in html
    html = views.matrix_html(A, "X", highlight_col=2)
    assert html.count("class='hl'") == 2 and "&#9660;2" in html
    J = np.zeros((2, 3, 2, 4))
    png = views.jacobian_png(J)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width * 3 == height * 4  # (H m) : (H n) = 8 : 6


def png_pixels(png):
    from PIL import Image
    import io
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.mark.parametrize("convention", ["WX", "XW"])
def test_the_jacobian_picture_is_the_real_pattern_of_each_convention(convention):
    """Each picture cell is nonzero exactly where an independent numeric Jacobian of D(W) is: no transposition."""
    from helpers import numerical_jacobian
    H, m, n = 3, 2, 4
    p = ex.Problem.make(H, m, n, seed=1, convention=convention)
    J = numerical_jacobian(lambda W: W @ p.X if convention == "WX" else p.X @ W, p.W.copy())
    rows, cols = J.shape[0] * J.shape[1], J.shape[2] * J.shape[3]
    png = views.jacobian_png(p.jacobian, size=rows * cols * 10)
    cell = views.png_width(png) // cols
    img = png_pixels(png)
    # the centre of each cell is white-ish (zero) exactly where J is zero
    centres = img[cell // 2::cell, cell // 2::cell][:rows, :cols]
    white = np.array(views.colours(np.zeros(1), 1.0)[0][:3], dtype=int)
    is_zero = np.abs(centres - white).sum(axis=2) < 6
    assert np.array_equal(is_zero, np.abs(J.reshape(rows, cols)) < 1e-9)
    caption = ex.jacobian_caption(p)
    if convention == "WX":
        assert "(H·n)×(H·m) = 12×6" in caption and "row (i, j), column (d, c)" in caption
    else:
        assert "(n·H)×(m·H) = 12×6" in caption and "row (i, j), column (c, d)" in caption and "j = d" in caption
    assert f"{n * m * H} of {J.size} entries = 1/{H}" in caption


def test_vary_shapes_explains_a_check_that_returns_no_table():
    from helpers import Problem, check_matrix_form

    def forgot_return(H, m, n, seed):
        check_matrix_form(Problem.make(H, m, n, seed))

    v = ex.ShapeCheck(forgot_return)
    assert "forgot_return(H, m, n, seed) returned None: did you forget `return`?" in v.error.value
    v = ex.ShapeCheck(lambda H, m, n, seed: True)
    assert "returned a bool; it must return a CheckTable" in v.error.value
    v = ex.ShapeCheck(lambda H, m, n, seed: check_matrix_form(Problem.make(H, m, n, seed)))  # one result: fine
    assert v.error.value == "" and "every check holds" in v.table.value
    with pytest.raises(TypeError, match="needs a function check"):
        ex.vary_shapes(None)


def test_vary_shapes_reruns_the_check_and_shows_errors():
    from helpers import CheckTable, Problem, ShapeCheck, check_matrix_form

    seen = []

    def check(H, m, n, seed):
        seen.append((H, m, n, seed))
        if H == 5:
            raise ValueError("H = 5 is not allowed here")
        return CheckTable([check_matrix_form(Problem.make(H, m, n, seed))])

    v = ShapeCheck(check, H=2, m=3, n=4)
    assert seen == [(2, 3, 4, 0)] and "every check holds" in v.table.value
    v.set(n=99)
    assert seen[-1] == (2, 3, MAX_DIM, 0)
    v.set(H=5)
    assert "Could not update: ValueError: H = 5" in v.error.value
    v.set(H=4)
    assert v.error.value == "" and seen[-1][0] == 4


def test_idle_time_computes_the_checks_one_step_away_and_they_match_a_fresh_run():
    from helpers import run_steps

    async def main():
        e = Explorer(Settings(H=4, m=3, n=5, loss="softmax_cross_entropy"))
        e.set(n=4)
        await asyncio.sleep(1.0)  # idle: the neighbours of (4, 3, 4) are computed
        ready = {k[:3] for k, v in e._solved.items() if v.table is not None}
        assert {(3, 3, 4), (5, 3, 4), (4, 2, 4), (4, 4, 4), (4, 3, 3), (4, 3, 5)} <= ready
        await asyncio.sleep(0.1)
        e.set(n=3)
        return e

    e = asyncio.run(main())
    assert e.hits["hit"] == 1
    fresh = run_steps(ex.Problem.make(4, 3, 3, 0, "softmax_cross_entropy"))
    assert e.views["checks"].value == ex.checks_html(fresh)
    assert len(e._solved) <= e.cache
    cold = Explorer(Settings(H=4, m=3, n=5), cache=0)
    cold.set(n=4)
    assert len(cold._solved) == 1 and cold.hits == {"miss": 2}


def test_focus_shows_the_notebooks_own_step_first_and_folds_the_rest():
    e = ex.Explorer(ex.Settings(3, 4, 5, loss="softmax_cross_entropy"), panels=("checks",), debounce=0, focus=1)
    text = e.views["checks"].value
    own, rest = text.split("<details>")
    assert "This notebook's step" in own and "chain rule" in own and "sparsity" not in own
    assert "The other 5 steps" in rest and "sparsity" in rest and "matrix form" in rest
    assert "chain rule" not in rest  # the notebook's own row is not repeated in the fold
    trivial = ex.Explorer(ex.Settings(1, 4, 5, loss="softmax_cross_entropy"), panels=("checks",), debounce=0,
                          focus=1).views["checks"].value
    assert "TRIVIAL" in trivial.split("<details>")[0] and "constant" in trivial.split("<details>")[0]
    for bad in (6, -1, 1.0, True, "1"):
        with pytest.raises(ValueError, match="focus must be a step index"):
            ex.Explorer(ex.Settings(), panels=("checks",), debounce=0, focus=bad)


def test_jacobian_caption_reads_right_at_H_1():
    for conv in ("WX", "XW"):
        _, p = ex.compute(Settings(1, 4, 5, convention=conv))
        text = ex.jacobian_caption(p)
        assert "the 1 diagonal blocks" not in text and "(1/H = 1)" in text
        _, p = ex.compute(Settings(3, 4, 5, convention=conv))
        assert "1/3" in ex.jacobian_caption(p)


def test_the_chain_rule_notebook_explorer_does_not_give_the_jacobian_pattern_away():
    e = ex.Explorer(ex.Settings(3, 4, 5), panels=("jacobian", "checks"), debounce=0, focus=1)
    text = e.views["jacobian"].value
    assert "measured numerically" in text and "diagonal" not in text and "X<sub>cj</sub>" not in text
    later = ex.Explorer(ex.Settings(3, 4, 5), panels=("jacobian", "checks"), debounce=0, focus=2)
    assert "diagonal blocks" in later.views["jacobian"].value


def tables(panel):
    """The numbers of each matrix table in a panel's HTML, as arrays (the explorer prints them to 2 places)."""
    import re
    out = []
    for table in re.findall(r"<table class='mg-m'>(.*?)</table>", panel):
        rows = [[float(x) for x in re.findall(r"<td[^>]*>(-?[0-9.]+)</td>", row)]
                for row in re.findall(r"<tr>(.*?)</tr>", table)]
        out.append(np.array([r for r in rows if r]))
    return out


@pytest.mark.parametrize("loss", sorted(ex.LOSSES))
def test_the_convention_toggle_shows_the_same_numbers_transposed(loss):
    """D = X W uses the transposes of D = W X's W and X, so D, G and dL/dW come out transposed too."""
    from helpers import numerical_gradient
    H, m, n, seed = 3, 4, 5, 2
    wx, xw = (ex.Problem.make(H, m, n, seed, loss, c) for c in ("WX", "XW"))
    assert np.array_equal(xw.W, wx.W.T) and np.array_equal(xw.X, wx.X.T)
    assert np.allclose(xw.D, wx.D.T, rtol=1e-13, atol=1e-15) and np.isclose(xw.L, wx.L, rtol=1e-13)
    assert np.allclose(xw.G, wx.G.T, rtol=1e-12, atol=1e-15)
    # an independent reference: central differences of each convention's own L(W)
    assert np.allclose(numerical_gradient(xw.f, xw.W.copy()), numerical_gradient(wx.f, wx.W.copy()).T, atol=1e-8)
    # what the explorer shows: the matrices and the whole dL/dW, each the other convention's transpose
    e = Explorer(Settings(H, m, n, seed, loss, "WX", d=1, c=2))
    e.show("index_sum")
    shown = {"WX": (tables(e.views["matrices"].value), tables(e.views["index_sum"].value))}
    e.set(convention="XW")
    e.show("matrices").show("index_sum")
    shown["XW"] = (tables(e.views["matrices"].value), tables(e.views["index_sum"].value))
    (W1, X1, D1), (X2, W2, D2) = shown["WX"][0], shown["XW"][0]  # in the order of the product
    assert np.array_equal(W2, W1.T) and np.array_equal(X2, X1.T) and np.array_equal(D2, D1.T)
    dW1, dW2 = shown["WX"][1][-1], shown["XW"][1][-1]
    assert dW1.shape == (H, m) and np.array_equal(dW2, dW1.T)
    assert np.allclose(dW1, np.round(wx.G @ wx.X.T, 2))
    traced = e.views["index_sum"].value
    assert "dL/dW = Xᵀ G, entry [2, 1] outlined" in traced and f"= {(wx.G @ wx.X.T)[1, 2]:.4f}</b>" in traced


@pytest.mark.parametrize("name", sorted(ex.LOSSES))
def test_a_loss_built_for_d_equals_x_w_is_the_transpose_of_the_other(name):
    """make_loss(..., convention="XW") from the same generator draws the same targets, laid out for Dᵀ: its
    value at Dᵀ is the value at D, its gradient Gᵀ."""
    from helpers import make_loss
    H, n = 3, 5
    D = np.random.default_rng(7).standard_normal((H, n))
    wx = make_loss(name, H, n, np.random.default_rng(1))
    xw = make_loss(name, H, n, np.random.default_rng(1), convention="XW")
    assert xw.shape == (n, H) and np.isclose(xw.value(D.T), wx.value(D), rtol=1e-13)
    assert np.allclose(xw.grad(D.T), wx.grad(D).T, rtol=1e-12, atol=1e-15)
    other = make_loss(name, H, n, np.random.default_rng(2), convention="XW")  # the targets matter
    if wx.needs_rng:
        assert not np.allclose(other.grad(D.T), wx.grad(D).T)


@pytest.mark.parametrize("convention", ["WX", "XW"])
def test_the_sparsity_row_at_H_1_is_trivial_not_pass(convention):
    """With H = 1 every entry has i = d: "0 unless i = d" has no entry to test (notebook 00: TRIVIAL)."""
    e = Explorer(Settings(1, 4, 5, loss="squared_error", convention=convention), panels=("checks",))
    table = e.solved(e.settings).finish()
    assert [r.status for r in table] == ["PASS", "PASS", "TRIVIAL", "PASS", "PASS", "PASS"]
    assert table and not table.meaningful
    checks = e.views["checks"].value
    assert "only trivially" in checks and "rules nothing out" in checks and "nothing to rule out (H = 1)" in checks
    assert "the gradient is zero" not in checks  # it is not: only the sparsity claim is empty
    e.set(H=2)
    assert [r.status for r in e.solved(e.settings).finish()] == ["PASS"] * 6


@pytest.mark.parametrize("H", [1, 2])
@pytest.mark.parametrize("convention", ["WX", "XW"])
def test_no_explorer_row_passes_for_nothing(H, convention):
    """Every PASS compared something nonzero, except the sparsity claim (zeros are its claim), and that only
    when there are entries with i != d to be zero."""
    for loss in ex.LOSSES:
        e = Explorer(Settings(H, 2, 3, loss=loss, convention=convention), panels=("checks",), ahead=False)
        for k, r in enumerate(e.solved(e.settings).finish()):
            if r.status == "PASS":
                assert r.scale > 0 or (k == ex.SPARSITY and H > 1), (loss, k, r)


def test_a_long_trivial_reason_is_said_once_not_in_every_row():
    reason = "H = 1 class is constant"
    e = Explorer(Settings(1, 4, 5, loss="softmax_cross_entropy"), panels=("checks",))
    checks = e.views["checks"].value
    assert checks.count(reason) == 1 and checks.index(reason) < checks.index("<table")
    assert checks.count(">TRIVIAL<") == 5 and checks.count("holds trivially: the gradient is zero") == 4
    focused = Explorer(Settings(1, 4, 5, loss="softmax_cross_entropy"), panels=("checks",), focus=4)
    own, rest = focused.views["checks"].value.split("<details>")
    assert own.count(reason) == 1 and "This notebook's step: holds only trivially" in own
    assert rest.count(reason) == 1 and rest.index(reason) < rest.index("<table")


def test_the_numeric_dL_dD_is_computed_once_per_state():
    """Steps 0 and 1 both need central differences of L(D): 2 + 2·H·n evaluations of L, paid once."""
    H, m, n = 3, 4, 5
    solved = ex.Solved(Settings(H, m, n))
    p, calls = solved.problem, []
    value = p.loss.value
    p.loss.value = lambda D: calls.append(np.shape(D)) or value(D)
    assert solved.finish()
    dD, dW = 2 + 2 * H * n, 2 + 2 * H * m  # L(D) differenced, and L(W) (each call of L(W) evaluates L once)
    assert dD + dW <= len(calls) <= dD + dW + 4, len(calls)


def test_idle_time_also_draws_the_traced_entry_of_the_neighbours_when_its_tab_is_shown():
    async def main():
        e = Explorer(Settings(H=4, m=3, n=5, d=3, c=2))
        e.show("index_sum")
        e.set(n=4)
        await asyncio.sleep(1.0)
        return e

    e = asyncio.run(main())
    ahead = e._solved[ex.data_key(Settings(H=3, m=3, n=4))]
    assert ("index_sum", 2, 2) in ahead._views  # d = 3 clamped to H - 1 = 2
    e.set(H=3)
    assert e.views["index_sum"].value == ahead._views[("index_sum", 2, 2)]
    assert e.views["index_sum"].value == ex.index_sum_view(ahead.problem, e.settings)
