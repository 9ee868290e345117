"""The explorer's logic without a display: clamping, selective redraws, errors shown not raised, debouncing."""
import asyncio
import struct

import numpy as np
import pytest

from helpers import shape_explorer as ex
from helpers import views
from helpers.shape_explorer import MAX_DIM, Explorer, Settings


def test_clamping():
    s = Settings(H=0, m=99, n=-3, seed=-5, loss="nope", convention="??", d=7, c=-1).clamped()
    assert (s.H, s.m, s.n, s.seed, s.loss, s.convention, s.d, s.c) == (1, MAX_DIM, 1, 0, "squared_error", "WX", 0, 0)
    assert (Settings(H=3, m=2, d=5, c=5).clamped().d, Settings(H=3, m=2, d=5, c=5).clamped().c) == (2, 1)


def test_d_and_c_follow_H_and_m():
    e = Explorer(Settings(H=5, m=5, d=4, c=4))
    e.set(H=2)
    assert e.settings.d == 1 and e.controls["d"].max == 1 and e.controls["d"].value == 1
    e.set(m=1)
    assert e.settings.c == 0 and e.controls["c"].max == 0
    assert "dL/dW[1, 0]" in e.views["index_sum"].value


def test_every_step_holds_in_the_table_for_every_loss_and_convention():
    e = Explorer(Settings(H=4, m=3, n=2))
    for convention in ("WX", "XW"):
        for loss in ("sum", "squared_error", "softmax_cross_entropy", "logsumexp", "log_cosh"):
            e.set(convention=convention, loss=loss)
            assert e.views["checks"].value.startswith("<b>every step holds</b>"), (convention, loss)
            assert e.views["checks"].value.count("PASS") == 6 and e.error.value == ""


def test_only_the_panels_whose_inputs_changed_are_redrawn():
    e = Explorer(Settings(H=3, m=3, n=3))
    base = dict(e.redraws)
    e.set(d=2)
    assert e.redraws["index_sum"] == base["index_sum"] + 1
    assert e.redraws["matrices"] == base["matrices"] and e.redraws["checks"] == base["checks"]
    e.set(loss="logsumexp")
    assert e.redraws["checks"] == base["checks"] + 1 and e.redraws["jacobian"] == base["jacobian"]
    e.set(H=4)
    assert all(e.redraws[k] >= base[k] + 1 for k in ex.PANELS)


def test_shape_change_updates_the_shown_output():
    e = Explorer(Settings(H=2, m=3, n=4))
    before = (e.views["matrices"].value, e.jacobian_image.value, e.shapes.value)
    e.set(H=3)
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


def test_a_burst_of_slider_moves_is_drawn_once_with_the_final_value():
    async def burst():
        e = Explorer(Settings(H=2), debounce=0.02)
        before = e.redraws["matrices"]
        for H in (3, 4, 5, 6, 7):
            e.set(H=H)
        await asyncio.sleep(0.1)
        return e, e.redraws["matrices"] - before

    e, redraws = asyncio.run(burst())
    assert redraws == 1 and "W (7×" in e.shapes.value


def test_unknown_panel():
    with pytest.raises(ValueError, match="unknown panels"):
        Explorer(panels=("jacobian", "teapot"))


def test_views():
    A = np.arange(6.0).reshape(2, 3) - 2
    html = views.matrix_html(A, "W", highlight_row=1)
    assert "2×3" in html and html.count("<td") == 6 and html.count("outline:3px") == 3 and "&#9654;&nbsp;1" in html
    J = np.zeros((2, 3, 2, 4))
    png = views.jacobian_png(J)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width * 3 == height * 4  # (H m) : (H n) = 8 : 6


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
