"""Checks that cannot be fooled: one test per class of bad or odd input (issue 12), vacuous passes (issue 10).

The rule for every public function: a correct result or a clear error naming the fix (raised by helpers itself,
not from deep inside numpy); the caller's arrays unchanged; no hang (size caps refuse before any work).
"""
import html
import re
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import helpers
from helpers import (CheckTable, MatmulLoss, Problem, check_derivation, einsum_grad, gradcheck, make_loss,
                     matmul_grads, numerical_gradient, numerical_jacobian)
from helpers.checks import SCALE_CAP, table_html

ROOT = Path(__file__).resolve().parents[1]


def square(A):
    return float(np.sum(A ** 2))


def clear_error(call, match, kind=(TypeError, ValueError)):
    """The call raises kind, matching match, and the raise happens in helpers' own code (not a raw traceback)."""
    with pytest.raises(kind, match=match) as info:
        call()
    last = traceback.extract_tb(info.value.__traceback__)[-1]
    assert "/helpers/" in last.filename, f"raised from {last.filename}:{last.lineno}, not by helpers"
    return str(info.value)


@pytest.fixture
def A():
    return np.random.default_rng(0).standard_normal((3, 4))


# --- silent wrong results -------------------------------------------------------------------------------------

def test_a_tiny_h_cannot_inflate_the_tolerance(A):
    clear_error(lambda: gradcheck(square, A, 4 * A, h=1e-14), r"h = 1e-14 is below 1e-10.*round-off")
    assert not gradcheck(square, A, 4 * A, h=1e-10)  # the smallest h allowed still catches a gradient 2x too big
    assert gradcheck(square, A, 2 * A, h=1e-10)
    clear_error(lambda: gradcheck(square, A, 2 * A, h=0.1), "truncation")


def test_a_large_constant_in_f_cannot_pass_a_zero_gradient(A):
    f = lambda A: 1e10 + square(A)
    for mode in ({}, {"mode": "directional", "rng": np.random.default_rng(1)}):
        zero = gradcheck(f, A, np.zeros_like(A), **mode)
        assert not zero and zero.status == "INCONCLUSIVE" and "round-off dominates" in repr(zero)
    right = gradcheck(f, A, 2 * A)
    assert not right.meaningful and "subtract a constant" in repr(right)
    # a moderate constant is resolved: right passes, zero fails
    assert gradcheck(lambda A: 1e4 + square(A), A, 2 * A).meaningful
    assert gradcheck(lambda A: 1e4 + square(A), A, 0 * A).status == "FAIL"


def test_a_tiny_gradient_is_checked_at_its_own_scale(A):
    f = lambda A: 1e-9 * square(A)
    assert gradcheck(f, A, 2e-9 * A).meaningful
    assert not gradcheck(f, A, 4e-9 * A)  # atol = 1e-6 would have passed this; the cap does not


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(-12, 6), offset=st.sampled_from([0.0, 1.0, 1e3, 1e6]), factor=st.sampled_from([0.5, 2, -1]))
def test_tolerance_never_exceeds_the_stated_bound(scale, offset, factor):
    A = np.random.default_rng(0).standard_normal((2, 3))
    c = 10.0 ** scale
    f = lambda A: offset + c * square(A)
    right = gradcheck(f, A, 2 * c * A)
    wrong = gradcheck(f, A, factor * 2 * c * A)
    for r in (right, wrong):
        if r.status == "PASS":  # a PASS never used a tolerance above (SCALE_CAP + rtol)·max|ref|
            assert r.atol <= SCALE_CAP * r.scale * (1 + 1e-12)
    assert not wrong.meaningful  # a wrong gradient never gets a PASS that claims to test something
    assert right or right.status == "INCONCLUSIVE"


@pytest.mark.parametrize("value, match", [
    ("1.5", "string"), (True, "bool"), (np.bool_(False), "bool"), (3, "integer"), (np.int64(3), "integer"),
    (1 + 2j, "complex"), (np.float32(1.5), "float32"), (None, r"forget `return`"), (np.ones(2), "scalar loss"),
    (object(), "not a number"), (np.nan, "finite"),
])
def test_bad_return_values_of_f(A, value, match):
    before = A.copy()
    for call in (lambda: gradcheck(lambda A: value, A, A), lambda: numerical_gradient(lambda A: value, A),
                 lambda: gradcheck(lambda A: value, A, A, mode="directional", rng=np.random.default_rng(0))):
        clear_error(call, match)
    assert np.array_equal(A, before)


def test_int_of_the_loss_is_refused_not_differentiated_to_zero(A):
    clear_error(lambda: gradcheck(lambda A: int(square(A)), A, 2 * A), "int.*gradient would read 0")


def test_non_deterministic_f_is_noticed(A):
    rng = np.random.default_rng(5)
    noisy = lambda A: square(A) + rng.standard_normal()
    for call in (lambda: gradcheck(noisy, A, 2 * A), lambda: numerical_gradient(noisy, A),
                 lambda: gradcheck(noisy, A, 2 * A, mode="directional", rng=np.random.default_rng(0))):
        clear_error(call, "not deterministic.*seed")
    clear_error(lambda: numerical_jacobian(lambda A: A + rng.standard_normal(), A), "different values")


def test_f_that_writes_into_its_input_is_noticed_and_A_is_unchanged(A):
    before = A.copy()

    def scales(A):
        A *= 2
        return square(A)

    calls = []

    def late(A):  # writes only once, mid-loop
        calls.append(1)
        if len(calls) == 7:
            A[0, 0] += 1.0
        return square(A)

    clear_error(lambda: gradcheck(scales, A, 2 * A), "modified its argument.*A = A.copy()")
    clear_error(lambda: numerical_gradient(late, A), "modified its argument")
    clear_error(lambda: numerical_jacobian(lambda X: X.__iadd__(1.0), A), "modified its argument")
    assert np.array_equal(A, before)


@pytest.mark.parametrize("h, match", [
    (0, "h = 0 the difference quotient is 0/0"), (np.nan, "positive finite"), (np.inf, "positive finite"),
    (-1e-6, "positive finite"), ("1e-6", "one positive number"), (None, "one positive number"),
    (np.array([1e-6, 1e-6]), r"shape \(2,\)"), (True, "one positive number"), (1j, "one positive number"),
    (10**400, "too large for a float64"), (-0.0, "positive finite"),
])
def test_bad_h_everywhere(A, h, match):
    p = Problem.make(2, 3, 4)
    for name, call in [*_gradchecks(A, p, h), ("numerical_gradient", lambda: numerical_gradient(square, A, h)),
                       ("numerical_jacobian", lambda: numerical_jacobian(np.sin, A, h)),
                       ("MatmulLoss.central_differences", lambda: p.f.central_differences(p.W, h))]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a bad h is refused, not warned about
            clear_error(call, match)


def _gradchecks(A, p, h):
    """Every way into gradcheck: full and directional mode, a plain function and a Problem's MatmulLoss (whose
    full mode takes the fast central_differences path, not the entry-by-entry loop)."""
    right = p.G @ p.X.T
    rng = lambda: np.random.default_rng(0)
    return [("gradcheck full, plain f", lambda: gradcheck(square, A, 2 * A, h=h)),
            ("gradcheck directional, plain f", lambda: gradcheck(square, A, 2 * A, "directional", h=h, rng=rng())),
            ("gradcheck full, MatmulLoss", lambda: gradcheck(p.f, p.W, right, h=h)),
            ("gradcheck directional, MatmulLoss", lambda: gradcheck(p.f, p.W, right, "directional", h=h, rng=rng())),
            ("gradcheck full, a Problem's loss of D", lambda: gradcheck(p.loss.value, p.D, p.G, h=h))]


@pytest.mark.parametrize("h, why", [(0.1, "truncation"), (1e-2, "truncation"), (2e-3, "truncation"),
                                    (1.0, "truncation"), (5e-11, "round-off"), (1e-13, "round-off"),
                                    (1e-14, "round-off"), (1e-300, "round-off")])
def test_gradcheck_refuses_h_outside_the_sensible_range_in_every_mode(A, h, why):
    """issue 21: a lenient range check (a warning) let directional mode and MatmulLoss PASS with h = 0.1."""
    p = Problem.make(2, 3, 4)
    problems = []
    for name, call in _gradchecks(A, p, h):
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            try:
                message = clear_error(call, why, kind=ValueError)
            except (AssertionError, pytest.fail.Exception) as err:
                problems.append(f"{name}: not refused ({str(err).splitlines()[0]})")
                continue
        if "[1e-10, 0.001]" not in message:
            problems.append(f"{name}: the refusal does not name the range: {message}")
        if warned:
            problems.append(f"{name}: warned ({warned[0].message}) before refusing")
    assert not problems, f"h = {h:g}:\n" + "\n".join(problems)
    for edge in (1e-10, 1e-3):  # the range's own ends are accepted everywhere, with no warning
        for name, call in _gradchecks(A, p, edge):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert call().status in ("PASS", "INCONCLUSIVE"), (name, edge)


def test_h_outside_the_sensible_range_warns_in_the_raw_tools(A):
    p = Problem.make(2, 3, 4)
    raw = [lambda h: numerical_gradient(square, A, h), lambda h: numerical_jacobian(np.sin, A, h),
           lambda h: p.f.central_differences(p.W, h)]
    for tool in raw:
        with pytest.warns(UserWarning, match="round-off"):
            tool(1e-12)
        with pytest.warns(UserWarning, match="truncation"):
            tool(0.1)
        for h in (1e-15, 2.0):  # outside [1e-14, 1] even the raw tools refuse
            clear_error(lambda: tool(h), "use the default h = 1e-6")


def test_non_finite_on_one_side_only(A):
    B = np.array([[1.0, 0.5]])
    edge = lambda X: np.where(X > 1.0 + 5e-7, np.inf, X)  # finite at B, infinite just to the right of B[0, 0]
    clear_error(lambda: numerical_jacobian(edge, B), r"finite at A, but F with entry \(0, 0\).*\+h")
    clear_error(lambda: numerical_gradient(lambda X: float(edge(X).sum()), B), r"entry \(0, 0\).*within h of A")


def test_complex_inputs_are_refused(A):
    p = Problem.make(2, 3, 4)
    clear_error(lambda: gradcheck(square, A, 2 * A + 0j), "complex")
    clear_error(lambda: gradcheck(square, A + 0j, 2 * A), "complex")
    clear_error(lambda: helpers.check_matrix_form(p, p.G @ p.X.T + 1j), "complex")
    clear_error(lambda: matmul_grads(p.W + 0j, p.X, p.G), "complex")
    clear_error(lambda: einsum_grad("ij,jk->ik", [p.W, p.X + 0j], p.G, 0), "complex")
    clear_error(lambda: p.loss.value(p.D + 0j), "complex")


def test_bool_arrays_are_refused(A):
    W, X, G = A > 0, (A > 0).T, np.ones((3, 3)) > 0
    clear_error(lambda: matmul_grads(W, X, G), "bool")
    clear_error(lambda: einsum_grad("ij,jk->ik", [W, X], np.ones((3, 3)), 0), "bool.*logical")
    clear_error(lambda: einsum_grad("ij,jk->ik", [A, A.T], G, 0), "g_out is a bool")
    clear_error(lambda: gradcheck(square, W, A), "bool")
    clear_error(lambda: gradcheck(square, A, W), "bool")


@pytest.mark.parametrize("bad", [2.5, "3", None, np.nan, np.inf, True, 0, -2])
def test_loss_sizes_must_be_whole_numbers(bad):
    rng = np.random.default_rng(0)
    for name in ("sum", "squared_error"):
        clear_error(lambda: make_loss(name, bad, 3, rng), "H must be a whole number")
        clear_error(lambda: make_loss(name, 3, bad, rng), "n must be a whole number")
    assert make_loss("sum", 3.0, 2, rng).shape == (3, 2)


def test_arrays_that_share_memory_or_are_read_only_give_correct_results():
    rng = np.random.default_rng(1)
    shared = np.broadcast_to(rng.standard_normal(4), (3, 4))  # 12 entries, 4 memory cells
    cube = lambda A: float(np.sum(A ** 3))
    np.testing.assert_allclose(numerical_gradient(cube, shared), 3 * shared ** 2, rtol=1e-6)
    assert gradcheck(cube, shared, 3 * shared ** 2).meaningful
    assert not gradcheck(cube, shared, 3 * 3 * shared ** 2)  # the aliasing bug made 3x look right
    J = numerical_jacobian(lambda A: 2 * A, shared)
    np.testing.assert_allclose(J.reshape(12, 12), 2 * np.eye(12), atol=1e-8)
    frozen = rng.standard_normal((2, 3))
    frozen.flags.writeable = False
    assert gradcheck(square, frozen, 2 * frozen).meaningful
    p = Problem(np.broadcast_to(rng.standard_normal((2, 1)), (2, 3)), frozen.T.copy(),
                make_loss("squared_error", 2, 2, rng))
    assert check_derivation and helpers.run_steps(p).meaningful


def test_huge_whole_numbers_and_none_get_clear_errors():
    """issue 18: huge seeds are valid (np.random.default_rng takes any whole number); a huge size is "too large",
    named; None where a Problem belongs is named, not an AttributeError."""
    assert Problem.make(2, 2, 2, seed=2**64).W.shape == (2, 2)
    assert check_derivation(2, 2, 2, seed=10**30).meaningful and check_derivation(2, 2, 2, seed=1e30)
    rng = np.random.default_rng(0)
    for call, match in [(lambda: make_loss("sum", 10**30, 1, rng), r"H = about 1e\+30 is too large"),
                        (lambda: make_loss("squared_error", 3, 10**400, rng), r"n = about 1e\+400 is too large"),
                        (lambda: Problem.make(2, 10**30, 2), "m = .* is too large"),
                        (lambda: check_derivation(2**64, 1, 1), "H = .* is too large"),
                        (lambda: helpers.block_mask(2, 2, 10**20), "m = .* is too large"),
                        (lambda: gradcheck(square, np.ones(2), np.ones(2), atol=10**400), "atol = .* too large"),
                        (lambda: helpers.run_steps(None), "run_steps needs a helpers.Problem, got NoneType"),
                        (lambda: check_derivation(2, 2, 2, seed=-(10**30)), "seed must be a whole number >= 0")]:
        clear_error(call, match)
    for step in helpers.steps.STEPS:
        clear_error(lambda: step(None), f"{step.__name__} needs a helpers.Problem")


@pytest.mark.parametrize("bad, match", [(2.5, "whole number"), ("3", "whole number"), (None, "whole number"),
                                        (True, "whole number"), (0, "at least 1"), (10**10, "cap")])
def test_directions(A, bad, match):
    start = time.perf_counter()
    clear_error(lambda: gradcheck(square, A, 2 * A, mode="directional", rng=np.random.default_rng(0),
                                  directions=bad), match)
    assert time.perf_counter() - start < 1


def test_lists_are_fine_where_arrays_are_expected():
    rng = np.random.default_rng(2)
    W, X, G = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    for got, want in zip(matmul_grads(W.tolist(), X.tolist(), G.tolist()), matmul_grads(W, X, G)):
        np.testing.assert_array_equal(got, want)
    loss = make_loss("squared_error", 2, 4, rng)
    assert MatmulLoss(loss, X.tolist())(W.tolist()) == MatmulLoss(loss, X)(W)
    np.testing.assert_allclose(einsum_grad("ik,kj->ij", [W.tolist(), X], G.tolist(), 0), G @ X.T)
    clear_error(lambda: matmul_grads([[1.0, 2.0], [3.0]], X, G), "rectangular")


@pytest.mark.parametrize("seed", [-1, 1.5, "a", None, np.nan, True])
def test_bad_seeds(seed):
    clear_error(lambda: check_derivation(2, 2, 2, seed=seed), "seed must be a whole number >= 0")


@pytest.mark.parametrize("H", [None, np.nan, np.inf, -np.inf, "3", 0, 2.5, [2]])
def test_bad_sizes_in_check_derivation(H):
    clear_error(lambda: check_derivation(H, 2, 2), "H must be a whole number >= 1")
    clear_error(lambda: Problem.make(2, H, 2), "m must be a whole number >= 1")


def test_bad_problem_parts():
    rng = np.random.default_rng(0)
    W, X = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    clear_error(lambda: Problem(W, X, make_loss("sum", 4, 2, rng)), r"built for D of shape \(4, 2\)")
    clear_error(lambda: Problem(W, X, "squared_error"), "helpers loss")
    clear_error(lambda: Problem.make(2, 2, 2, loss="hinge"), "unknown loss")
    clear_error(lambda: Problem.make(2, 2, 2, convention="wx"), "convention")
    clear_error(lambda: MatmulLoss("sum", X), "helpers loss")
    clear_error(lambda: helpers.index_sum_loop(rng.standard_normal((2, 4)), rng.standard_normal((3, 5))), "one size")


def test_einsum_grad_odd_inputs():
    rng = np.random.default_rng(3)
    A, B = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    clear_error(lambda: einsum_grad("ij;jk->ik", [A, B], np.ones((2, 4)), 0), r"';' is not allowed.*','")
    clear_error(lambda: einsum_grad("ij,jk->ik->i", [A, B], np.ones((2, 4)), 0), "'->' may appear once")
    clear_error(lambda: einsum_grad("ij,jk->ik", [A, B], None, 0), "g_out is None")
    clear_error(lambda: einsum_grad("ij,jk->ik", [A, B], np.full((2, 4), np.nan), 0), "non-finite")
    clear_error(lambda: einsum_grad("ij->i", A, np.ones(2), 0), "list of arrays")
    clear_error(lambda: einsum_grad("ij,jk->ik", [A, B], np.ones((2, 4)), True), "operand number")
    clear_error(lambda: einsum_grad("ij,jk->ik", [A, "B"], np.ones((2, 4)), 0), "real numbers")
    g = np.arange(8.0).reshape(2, 4)
    np.testing.assert_allclose(einsum_grad("ij,jk->ik", [A, B], g.tolist(), 0), g @ B.T)


# --- size: refused before any work, saying what it would need and what to use instead -----------------------

def test_size_caps_refuse_before_any_work():
    calls = []
    counted = lambda A: calls.append(1) or 0.0
    big = np.zeros((400, 400))
    cases = [
        (lambda: check_derivation(150, 150, 150), r"506,250,000 entries \(4\.\d GB\).*directional"),
        (lambda: check_derivation(400, 400, 400), r"GB.*directional"),
        (lambda: numerical_gradient(counted, big), r"320,002 evaluations.*directional"),
        (lambda: gradcheck(counted, big, big), r"evaluations.*directional"),
        (lambda: numerical_jacobian(lambda A: calls.append(1) or A, np.zeros((120, 120))), r"GB.*matrix form"),
        (lambda: helpers.index_sum_loop(np.zeros((200, 200)), np.zeros((200, 200))), r"8,000,000.*G @ X.T"),
        (lambda: make_loss("squared_error", 10**5, 10**5, np.random.default_rng(0)), "cap"),
        (lambda: Problem.make(10**5, 10**5, 1), "cap"),
        (lambda: helpers.check_sparsity(Problem.make(60, 60, 60)), r"Jacobian.*directional"),
    ]
    for call, match in cases:
        start = time.perf_counter()
        clear_error(call, match)
        assert time.perf_counter() - start < 0.5
    assert len(calls) <= 2  # the Jacobian needs F's output shape: one evaluation (and the determinism one)
    p = Problem.make(300, 300, 300)
    clear_error(lambda: gradcheck(p.f, p.W, p.G @ p.X.T), r"GB of memory.*directional")
    assert gradcheck(p.f, p.W, p.G @ p.X.T, mode="directional", rng=np.random.default_rng(0)).meaningful


def _slow_square(A):
    time.sleep(0.005)
    return square(A)


# Each cap with a shape that only it refuses (issue 21: raising one cap must fail a test), and the words naming
# that cap's own limit.  `within` states, for the record, that the shape is inside every other cap.
CAPS = {
    "steps.MAX_JACOBIAN_ENTRIES": (lambda: check_derivation(1100, 1, 1),
                                   r"1,210,000 entries \(9\.7 MB\), more than the 1,000,000 entries \(8\.0 MB\)",
                                   lambda: 8 * 1100**2 < helpers.steps.MAX_WORK),
    "steps.MAX_WORK": (lambda: check_derivation(1, 1, 20000), r"1\.6e\+09 multiply-adds, more than the 1e\+09",
                       lambda: 20000 <= helpers.steps.MAX_JACOBIAN_ENTRIES),
    "steps.MAX_LOOP": (lambda: helpers.index_sum_loop(np.zeros((100, 60)), np.zeros((1000, 60))),
                       r"6,000,000 Python iterations.*cap 5,000,000", lambda: True),
    "validate.MAX_EVALUATIONS": (lambda: numerical_gradient(square, np.zeros((250, 250))),
                                 r"125,002 evaluations \(cap 100,000\)", lambda: 8 * 250**2 < 1e8),
    "validate.MAX_EVALUATIONS (directions)": (
        lambda: gradcheck(square, np.ones(2), np.ones(2), "directional", rng=np.random.default_rng(0),
                          directions=60_000), r"120,002 evaluations \(cap 100,000\)", lambda: True),
    "validate.MAX_JACOBIAN_BYTES": (lambda: numerical_jacobian(lambda A: np.full(200_000, A.sum()), np.zeros(100)),
                                    r"160\.0 MB of memory \(cap 100\.0 MB\)", lambda: 2 * 100 + 2 < 100_000),
    "validate.MAX_JACOBIAN_BYTES (MatmulLoss)": (
        lambda: Problem.make(300, 300, 300).f.central_differences(np.zeros((300, 300)), 1e-6),
        r"1\.1 GB of memory \(cap 200\.0 MB\)", lambda: True),
    "validate.MAX_SECONDS": (lambda: numerical_gradient(_slow_square, np.zeros(20_000)),
                             r"more than the 2 min it may take", lambda: 2 * 20_000 + 2 < 100_000),
    "validate.MAX_ARRAY_ENTRIES (loss)": (lambda: make_loss("sum", 10_000, 10_000, np.random.default_rng(0)),
                                          r"100,000,000 entries is above the cap of 50,000,000", lambda: True),
    "validate.MAX_ARRAY_ENTRIES (Problem)": (lambda: Problem.make(8000, 8000, 1),
                                             r"W would have 64,000,000 entries.*above the cap of 50,000,000",
                                             lambda: True),
    "einsum_grad.MAX_INDEX_SPACE": (lambda: einsum_grad("ij,jk->ik", [np.zeros((1000, 1000)), np.zeros((1000, 1001))],
                                                        np.zeros((1000, 1001)), 0),
                                    r"1,001,000,000 index combinations \(cap 1,000,000,000\)", lambda: True),
}


@pytest.mark.parametrize("cap", list(CAPS))
def test_each_cap_refuses_a_shape_only_it_refuses_and_names_its_own_limit(cap):
    call, words, within = CAPS[cap]
    assert within()
    start = time.perf_counter()
    clear_error(call, words)
    assert time.perf_counter() - start < 1.5, f"{cap}: refused only after {time.perf_counter() - start:.1f} s"


# --- vacuous passes (issue 10, item 5) -------------------------------------------------------------------------

@pytest.mark.parametrize("convention", ["WX", "XW"])
def test_softmax_over_one_class_is_reported_as_trivial_with_its_reason(convention):
    table = check_derivation(1, 3, 4, loss="softmax_cross_entropy", convention=convention)
    assert table and not table.meaningful  # holds, but proves nothing for steps 0, 1, 4, 5
    assert [r.status for r in table] == ["TRIVIAL", "TRIVIAL", "PASS", "PASS", "TRIVIAL", "TRIVIAL"]
    for r in table.trivial:
        assert r and not r.meaningful and r.trivial and "H = 1 class is constant" in r.reason
    text, page = repr(table), table._repr_html_()
    assert text.count("TRIVIAL") == 4 and text.count("holds trivially: the gradient is zero") == 1  # said once:
    assert text.count("; [1]\n") == 4 and "\n[1] holds trivially: the gradient is zero; softmax" in text  # [1]
    assert page.count(">TRIVIAL<") == 4 and page.count("H = 1 class is constant") == 1
    assert page.count("<td style='text-align:left'>[1]</td>") == 4 and "<tfoot>" in page
    assert "only trivially" in table.summary("step") and "H = 1 class" in table.summary("step")
    assert check_derivation(2, 3, 4, loss="softmax_cross_entropy", convention=convention).meaningful


def test_a_constant_or_stationary_f_is_trivial_in_gradcheck(A):
    flat = gradcheck(lambda A: 3.0, A, np.zeros_like(A))
    assert flat and flat.trivial and "stationary point" in flat.reason
    assert not gradcheck(lambda A: 3.0, A, np.ones_like(A))  # a nonzero answer to a zero gradient fails
    assert gradcheck(square, np.zeros((2, 2)), np.zeros((2, 2))).trivial
    assert gradcheck(lambda A: 100 + square(A), np.zeros((2, 2)), np.zeros((2, 2))).trivial
    # with |f| = 1e6 round-off (~2e-2 per entry) could hide a gradient: neither PASS nor TRIVIAL
    assert gradcheck(lambda A: 1e6 + square(A), np.zeros((2, 2)), np.zeros((2, 2))).status == "INCONCLUSIVE"
    assert gradcheck(square, A, 2 * A).meaningful
    assert CheckTable([flat]) and not CheckTable([flat]).meaningful


def test_figures_are_relative_to_the_gradients_scale():
    p = Problem.make(12, 12, 12, seed=0, loss="softmax_cross_entropy")
    r = helpers.check_matrix_form(p)
    assert r.meaningful and r.rel_to_scale == pytest.approx(r.max_abs_err / np.abs(p.dW_numeric).max())
    assert r.rel_to_scale < 1e-6 and r.max_rel_err > r.rel_to_scale  # the entrywise figure is large near zeros
    assert f"max abs err {r.max_abs_err:.1e} = {r.rel_to_scale:.1e} of max|ref| {r.scale:.1e}" in repr(r)
    assert "<th>tolerance: |err| &le; atol + rtol&middot;|ref|</th>" in r._repr_html_()  # the rule in the header


def test_tables_link_to_how_to_read_a_check_instead_of_defining_it(tmp_path, monkeypatch):
    """issue 17: atol, rtol, ÷ max|ref| and the verdicts are defined once, in 00-contents; a table links there by
    a link relative to the folder the notebook runs in, or says the rule in one line where that page is absent."""
    table = check_derivation(2, 2, 2)
    anchor = "00-contents.ipynb#How-to-read-a-check"
    (tmp_path / "00-contents.ipynb").write_text("{}")
    (tmp_path / "solutions").mkdir()
    for folder, href in [(tmp_path, anchor), (tmp_path / "solutions", "../" + anchor), (tmp_path.parent, None)]:
        monkeypatch.chdir(folder)
        page = table._repr_html_()
        assert page.count("<tfoot>") == 1 and page.count("How to read a check") <= 1
        if href:
            assert f'<a href="{href}">How to read a check</a>' in page
        else:
            assert "<a " not in page and "Tolerance: an entry passes if |yours &minus; ref|" in page
        assert "title=" not in page  # no definitions repeated in tooltips either
    assert "How to read" not in repr(table)  # the plain text stays a list of checks
    assert f'href="{anchor}"' in table_html(list(table), link=anchor)
    assert "<tfoot>" not in table.html(legend=False)
    monkeypatch.setattr(helpers.checks, "LEGEND_LINK", "../" + anchor)
    monkeypatch.chdir(tmp_path)
    assert f'href="../{anchor}"' in table._repr_html_()


def test_a_note_several_rows_share_is_said_once_and_short_ones_stay_in_their_rows():
    rows = check_derivation(1, 2, 3, loss="softmax_cross_entropy")
    long_reason = rows[0].note()
    mixed = CheckTable([*rows, gradcheck(square, np.ones((2, 2)), np.ones((2, 2)), name="wrong")])
    text, page = repr(mixed), mixed._repr_html_()
    assert text.count(long_reason) == page.count(html.escape(long_reason)) == 1
    assert "worst at" in text.splitlines()[-2] and "[1]" not in text.splitlines()[-2]  # its own note, in its row
    explorer_like = [helpers.shape_explorer.Row(**{**vars(r), "note_text": "holds trivially: the gradient is zero"})
                     for r in rows.trivial]  # the explorer's short rows: a short shared note stays in each row
    page = CheckTable(explorer_like)._repr_html_()
    assert page.count(">holds trivially: the gradient is zero<") == 4 and "[1]" not in page
    assert repr(CheckTable([rows[0]])).count(long_reason) == 1 and "[1]" not in repr(CheckTable([rows[0]]))


def test_sanitizer_masks_round_off_of_pass_and_trivial_rows_but_not_failures():
    from nbval.plugin import get_sanitize_patterns
    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())

    def sanitize(text):
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    p = Problem.make(3, 3, 3, seed=0)
    good = gradcheck(p.f, p.W, p.G @ p.X.T, name="right")
    bad = gradcheck(p.f, p.W, p.G @ p.X, name="wrong")
    trivial = check_derivation(1, 2, 3, loss="softmax_cross_entropy")
    table = CheckTable([good, bad, *trivial])
    for text in (repr(table), table._repr_html_()):
        clean = sanitize(text)
        assert f"{bad.max_abs_err:.1e}" in clean and f"{bad.rel_to_scale:.1e}" in clean
        assert f"{good.max_abs_err:.1e}" not in clean and f"{good.rel_to_scale:.1e}" not in clean
        assert clean.count("TRIVIAL") == 4 and "ERR" in clean


# --- tests that would fail if a check compared a value with itself --------------------------------------------

def test_every_step_fails_when_its_own_input_is_corrupted():
    def fresh():
        return Problem.make(3, 4, 5, seed=6)

    p = fresh()
    p.G = 2 * p.G  # the loss's analytic gradient is wrong
    assert not helpers.check_loss_gradient(p) and not helpers.check_matrix_form(p)
    assert not helpers.check_index_sum(p)
    p = fresh()
    p.dW_numeric = p.dW_numeric + 0.1  # the numeric reference moved: chain rule, index sum, matrix form see it
    assert not helpers.check_chain_rule(p) and not helpers.check_index_sum(p) and not helpers.check_matrix_form(p)
    p = fresh()
    J = p.jacobian_canonical.copy()
    J[1, 2, 1, 3] = 0.0  # one i = d entry lost: the off-block entries are still all zero
    p.jacobian_canonical = J
    r = helpers.check_sparsity(p)
    assert not r and "expected 60" in r.detail  # the count of nonzeros, H·n·m = 60, is checked
    assert not helpers.check_local_derivative(p)
    p = fresh()
    p.jacobian = 1.5 * p.jacobian
    assert not helpers.check_chain_rule(p) and not helpers.check_local_derivative(p)


def test_sparsity_count_allows_for_zeros_in_X():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3, 4))
    X[1, 2] = 0.0
    p = Problem(rng.standard_normal((2, 3)), X, make_loss("log_cosh", 2, 4, rng))
    r = helpers.check_sparsity(p)
    assert r and "X has 1 zero entries" in r.detail


# --- einsum_grad: summed-away axes and implicit output order ---------------------------------------------------

def _numeric_einsum_grad(spec, ops, g, wrt):
    def L(A):
        args = list(ops)
        args[wrt] = A
        return float(np.sum(np.einsum(spec, *args) * g))
    return numerical_gradient(L, ops[wrt].copy())


@pytest.mark.parametrize("spec, shapes", [
    ("ij,i->i", [(3, 3), (3,)]),  # square: numpy broadcasting of (3,) would align with j, silently wrong
    ("ij,i->i", [(3, 2), (3,)]),
    ("kj,ik", [(3, 2), (4, 3)]),  # implicit output 'ij' (alphabetical), not 'ji' (order of appearance)
    ("kj,ik", [(3, 3), (3, 3)]),  # square: the wrong order would still have the right shape
    ("ij->", [(2, 3)]),
])
def test_einsum_grad_against_numeric_for_traps(spec, shapes):
    rng = np.random.default_rng(8)
    ops = [rng.standard_normal(s) for s in shapes]
    g = rng.standard_normal(np.shape(np.einsum(spec, *ops)))
    for wrt in range(len(ops)):
        np.testing.assert_allclose(einsum_grad(spec, ops, g, wrt), _numeric_einsum_grad(spec, ops, g, wrt),
                                   rtol=1e-6, atol=1e-7)


# --- property-based: odd inputs give a clear error or a correct result, and inputs stay unchanged -----------

DTYPES = [np.float64, np.float32, np.int64, np.bool_, np.complex128]
odd_arrays = st.builds(
    lambda shape, dtype, fill, readonly, seed: _odd(shape, dtype, fill, readonly, seed),
    shape=st.lists(st.integers(0, 3), min_size=1, max_size=2).map(tuple),
    dtype=st.sampled_from(DTYPES), fill=st.sampled_from(["normal", "nan", "inf", "huge", "zero"]),
    readonly=st.booleans(), seed=st.integers(0, 1000))


def _odd(shape, dtype, fill, readonly, seed):
    A = np.random.default_rng(seed).standard_normal(shape)
    if fill != "normal" and A.size:
        A.flat[0] = {"nan": np.nan, "inf": np.inf, "huge": 1e12, "zero": 0.0}[fill]
    with np.errstate(invalid="ignore"):
        A = A.astype(dtype) if dtype is not np.bool_ else A > 0
    A.flags.writeable = not readonly
    return A


def _clear_or_correct(call, check):
    """A clear error from helpers, a result warned about (an h outside the sensible range), or a correct result."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = call()
        except (TypeError, ValueError) as err:
            last = traceback.extract_tb(err.__traceback__)[-1]
            assert "/helpers/" in last.filename and len(str(err)) > 20, (last, err)
            return
    if not any(issubclass(w.category, UserWarning) and "h = " in str(w.message) for w in caught):
        check(out)


@settings(max_examples=40, deadline=None)
@given(A=odd_arrays, h=st.one_of(st.just(1e-6), st.floats(allow_nan=True, allow_infinity=True), st.none(),
                                 st.text(max_size=3), st.integers(-2, 2)))
def test_odd_arrays_and_steps(A, h):
    before = A.copy()
    with np.errstate(all="ignore"):
        _clear_or_correct(lambda: numerical_gradient(square, A, h) if h is not None else numerical_gradient(square, A),
                          lambda g: np.testing.assert_allclose(g, 2 * A, rtol=1e-5, atol=1e-5))
        _clear_or_correct(lambda: gradcheck(square, A, 2 * A, h=1e-6 if h is None else h),
                          lambda r: r.status in ("PASS", "TRIVIAL", "INCONCLUSIVE") or pytest.fail(repr(r)))
        _clear_or_correct(lambda: numerical_jacobian(lambda X: 3 * X, A),
                          lambda J: np.testing.assert_allclose(J.reshape(A.size, A.size), 3 * np.eye(A.size),
                                                               atol=1e-6))
    np.testing.assert_array_equal(A, before)


@settings(max_examples=40, deadline=None)
@given(W=odd_arrays, X=odd_arrays, G=odd_arrays, convention=st.sampled_from(["WX", "XW", "xw", None]))
def test_odd_matmul_grads(W, X, G, convention):
    copies = [W.copy(), X.copy(), G.copy()]

    def check(grads):
        dW, dX = grads
        W64, X64, G64 = (np.asarray(a, dtype=np.float64) for a in (W, X, G))
        if convention == "WX":
            np.testing.assert_allclose(dW, G64 @ X64.T)
            np.testing.assert_allclose(dX, W64.T @ G64)
        else:
            np.testing.assert_allclose(dW, X64.T @ G64)
            np.testing.assert_allclose(dX, G64 @ W64.T)

    with np.errstate(all="ignore"):
        _clear_or_correct(lambda: matmul_grads(W, X, G, convention), check)
        _clear_or_correct(lambda: einsum_grad("ik,kj->ij", [W, X], G, 0),  # float32 in, float32 out
                          lambda g: np.testing.assert_allclose(g, np.asarray(G, float) @ np.asarray(X, float).T,
                                                               rtol=1e-5 if g.dtype == np.float32 else 1e-7,
                                                               atol=1e-5 if g.dtype == np.float32 else 0))
    for a, b in zip((W, X, G), copies):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(spec=st.text(alphabet="ijk,->; .", max_size=9), n_ops=st.integers(1, 3), wrt=st.integers(-1, 3))
def test_odd_einsum_specs(spec, n_ops, wrt):
    ops = [np.ones((2, 2))] * n_ops

    def check(g):
        assert g.shape == (2, 2)
        np.testing.assert_allclose(g, _numeric_einsum_grad(spec, ops, np.ones(np.shape(np.einsum(spec, *ops))), wrt),
                                   atol=1e-6)

    try:
        out_shape = np.shape(np.einsum(spec, *ops))
    except Exception:
        out_shape = (2, 2)
    _clear_or_correct(lambda: einsum_grad(spec, ops, np.ones(out_shape), wrt), check)
