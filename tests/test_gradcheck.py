"""gradcheck passes the right dL/dW and fails every classic wrong one, in both modes, square shapes included."""
import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

import helpers

from helpers import LOSSES, MatmulLoss, Problem, gradcheck, matmul_grads, numerical_gradient, rel_error
from helpers.numeric import measured_roundoff

# Wrong answers for D = W X, W (H, m), X (m, n), G (H, n); with H = m = n every one has W's shape.
WRONG_WX = {
    "missing transpose, G X": lambda G, X: G @ X,
    "X^T G (the XW formula)": lambda G, X: X.T @ G,
    "G^T X": lambda G, X: G.T @ X,
    "sign flipped": lambda G, X: -(G @ X.T),
    "mean instead of sum": lambda G, X: G @ X.T / X.shape[1],
    "stray 1/2": lambda G, X: 0.5 * (G @ X.T),
}
# ... and for D = X W, X (n, m), W (m, H), G (n, H).
WRONG_XW = {
    "G X^T... as X G": lambda G, X: X @ G,
    "G^T X (the WX formula, transposed)": lambda G, X: G.T @ X,
    "G X... the WX formula G X^T": lambda G, X: G @ X.T,
    "sign flipped": lambda G, X: -(X.T @ G),
    "mean instead of sum": lambda G, X: X.T @ G / X.shape[0],
}
MODES = [dict(mode="full"), dict(mode="directional", rng=np.random.default_rng(7))]
LOSS_NAMES = ["squared_error", "softmax_cross_entropy", "logsumexp", "log_cosh", "sum"]


def _fresh(kw):
    return {**kw, "rng": np.random.default_rng(7)} if "rng" in kw else kw


@pytest.mark.parametrize("kw", MODES, ids=["full", "directional"])
@pytest.mark.parametrize("loss", LOSS_NAMES)
@pytest.mark.parametrize("size", [2, 3, 5])
def test_right_answer_passes_and_every_wrong_one_fails_wx(kw, loss, size):
    p = Problem.make(size, size, size, seed=size, loss=loss)
    assert gradcheck(p.f, p.W, p.G @ p.X.T, **_fresh(kw))
    for name, wrong in WRONG_WX.items():
        candidate = wrong(p.G, p.X)
        assert candidate.shape == p.W.shape
        result = gradcheck(p.f, p.W, candidate, **_fresh(kw))
        assert not result, f"{name} passed: {result}"


@pytest.mark.parametrize("kw", MODES, ids=["full", "directional"])
@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_right_answer_passes_and_every_wrong_one_fails_xw(kw, loss):
    p = Problem.make(4, 4, 4, seed=3, loss=loss, convention="XW")
    assert gradcheck(p.f, p.W, p.X.T @ p.G, **_fresh(kw))
    for name, wrong in WRONG_XW.items():
        assert not gradcheck(p.f, p.W, wrong(p.G, p.X), **_fresh(kw)), name


@settings(max_examples=30, deadline=None)
@given(H=st.integers(1, 8), m=st.integers(1, 8), n=st.integers(1, 8), seed=st.integers(0, 2**16),
       loss=st.sampled_from(LOSS_NAMES), convention=st.sampled_from(["WX", "XW"]))
@example(H=1, m=3, n=4, seed=0, loss="squared_error", convention="WX")
@example(H=3, m=4, n=1, seed=1, loss="softmax_cross_entropy", convention="WX")
@example(H=5, m=5, n=5, seed=2, loss="log_cosh", convention="XW")
@example(H=1, m=1, n=1, seed=3, loss="logsumexp", convention="XW")
def test_matmul_grads_pass_at_random_shapes(H, m, n, seed, loss, convention):
    p = Problem.make(H, m, n, seed, loss, convention)
    dW, dX = matmul_grads(p.W, p.X, p.G, convention)
    assert gradcheck(p.f, p.W, dW)
    assert gradcheck(p.f, p.W, dW, mode="directional", rng=np.random.default_rng(seed))
    f_of_X = (lambda X: p.loss.value(p.W @ X)) if convention == "WX" else (lambda X: p.loss.value(X @ p.W))
    assert gradcheck(f_of_X, p.X, dX)
    if n > 1:  # with n = 1 the mean over samples *is* the sum
        assert not gradcheck(p.f, p.W, dW / n) or np.allclose(dW, 0)


@settings(max_examples=30, deadline=None)
@given(H=st.integers(1, 8), m=st.integers(1, 8), n=st.integers(1, 8), seed=st.integers(0, 2**16),
       loss=st.sampled_from(LOSS_NAMES), convention=st.sampled_from(["WX", "XW"]))
def test_fast_central_differences_equal_the_plain_loop(H, m, n, seed, loss, convention):
    p = Problem.make(H, m, n, seed, loss, convention)
    fast = p.f.central_differences(p.W, 1e-6)
    slow = numerical_gradient(p.f, p.W.copy())
    np.testing.assert_allclose(fast, slow, rtol=1e-6, atol=1e-7)


def test_result_carries_its_figures():
    p = Problem.make(3, 3, 3, seed=1)
    good = gradcheck(p.f, p.W, p.G @ p.X.T)
    assert good and good.passed and good.max_abs_err < 1e-6 and good.extra["evaluations"] == 2 + 18
    bad = gradcheck(p.f, p.W, p.G @ p.X)
    assert not bad and bad.rel_to_scale > 1e-2 and bad.status == "FAIL"
    assert bad.worst_index in set(np.ndindex(3, 3))
    assert bad.expected == pytest.approx((p.G @ p.X.T)[bad.worst_index], rel=1e-6)
    assert bad.got == pytest.approx((p.G @ p.X)[bad.worst_index])
    assert repr(bad).startswith("FAIL gradient: max abs err") and "worst at" in repr(bad)
    assert f"= {good.rel_to_scale:.1e} of max|ref| {good.scale:.1e}" in repr(good)
    assert "\n" not in repr(good)
    html = bad._repr_html_()
    assert html.startswith("<table>") and "FAIL" in html


def test_directional_mode_costs_two_evaluations_per_direction_plus_two_at_A():
    p = Problem.make(6, 6, 6, seed=2)
    calls = []
    f = lambda W: calls.append(1) or p.f(W)
    r = gradcheck(f, p.W, p.G @ p.X.T, mode="directional", rng=np.random.default_rng(0), directions=3)
    assert r and r.extra["evaluations"] == 2 + 6 and len(calls) == 2 + 6
    calls.clear()
    r = gradcheck(f, p.W, p.G @ p.X.T)  # full mode without the fast path: f(A) twice, then 2 per entry
    assert r and r.extra["evaluations"] == len(calls) == 2 + 2 * p.W.size
    for kw, probe in (({}, 16), ({"mode": "directional", "rng": np.random.default_rng(0)}, 6)):
        calls.clear()  # before a FAIL, f's round-off is measured near A: 8 more per direction probed
        r = gradcheck(f, p.W, p.G @ p.X, **kw)
        plain = 2 + 2 * p.W.size if not kw else 4
        assert r.status == "FAIL" and r.extra["evaluations"] == len(calls) == plain + probe


def test_rel_error():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0
    assert rel_error(np.array([1.0]), np.array([-1.0])) == 1
    assert rel_error(np.zeros(3), np.zeros(3)) == 0
    with pytest.raises(ValueError, match="one shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_matmul_loss_rejects_wrong_w_shape():
    p = Problem.make(2, 3, 4)
    with pytest.raises(ValueError, match=r"W has shape \(3, 2\).*\(2, 3\)"):
        p.f(p.W.T.copy())


# --- a right gradient is never FAIL (issue 18 §2) ------------------------------------------------------------

def _case(H, m, n, seed, loss, scale, convention, wrt):
    """(f, A, right gradient) for L = loss(D) with W and X scaled by `scale` (scores by scale²)."""
    p = Problem.make(H, m, n, seed, loss, convention)
    q = Problem(scale * p.W, scale * p.X, p.loss, convention)
    dW, dX = matmul_grads(q.W, q.X, q.G, convention)
    if wrt == "W":  # MatmulLoss: the fast central differences and the loss's own roundoff_scale
        return q.f, q.W, dW
    if wrt == "W, plain f":  # a learner's own function: only the measured round-off protects it
        return (lambda W: q.f(W)), q.W, dW
    forward = (lambda X: q.W @ X) if convention == "WX" else (lambda X: X @ q.W)
    return (lambda X: q.loss.value(forward(X))), q.X, dX


@settings(max_examples=150, deadline=None)
@given(H=st.integers(1, 4), m=st.integers(1, 3), n=st.integers(1, 3), seed=st.integers(0, 2**16),
       loss=st.sampled_from(sorted(LOSSES)), scale=st.sampled_from([1e-7, 1e-3, 1.0, 5.0, 10.0, 30.0]),
       convention=st.sampled_from(["WX", "XW"]), wrt=st.sampled_from(["W", "W, plain f", "X"]),
       mode=st.sampled_from(["full", "directional"]))
@example(H=3, m=1, n=1, seed=1407, loss="softmax_cross_entropy", scale=5.0, convention="WX", wrt="W", mode="full")
@example(H=3, m=1, n=1, seed=1407, loss="softmax_cross_entropy", scale=5.0, convention="XW", wrt="W", mode="full")
@example(H=3, m=2, n=1, seed=4, loss="softmax_cross_entropy", scale=5.0, convention="WX", wrt="W", mode="full")
@example(H=3, m=1, n=1, seed=1407, loss="softmax_cross_entropy", scale=5.0, convention="WX", wrt="W, plain f",
         mode="directional")
def test_right_gradients_never_fail_and_doubled_ones_never_pass(H, m, n, seed, loss, scale, convention, wrt,
                                                                 mode):
    f, A, right = _case(H, m, n, seed, loss, scale, convention, wrt)
    kw = lambda: {"mode": mode, "rng": np.random.default_rng(seed)} if mode == "directional" else {}
    good, bad = gradcheck(f, A, right, **kw()), gradcheck(f, A, 2 * right, **kw())
    assert good.status != "FAIL", good
    assert bad.status != "PASS", bad
    # the numeric side is trustworthy when its round-off, as measured from f near A, is under half the gradient:
    # then a 2x-wrong gradient (off by 100%) is a FAIL, not a shrug
    r, _ = measured_roundoff(f, A, 1e-6, abs(f(A)), (None,) if mode == "directional" else (None, (0,) * A.ndim))
    if r < 0.5 * bad.scale:
        assert bad.status == "FAIL", (r, bad)
    if good.status == "INCONCLUSIVE":
        assert "round-off dominates" in good.reason


def test_confident_softmax_is_inconclusive_not_fail_and_says_why():
    for convention in ("WX", "XW"):  # issue 18: L = 1.6e-9, computed from two numbers near 13
        f, A, right = _case(3, 1, 1, 1407, "softmax_cross_entropy", 5.0, convention, "W")
        result = gradcheck(f, A, right)
        assert result.status == "INCONCLUSIVE" and not result and "round-off dominates" in repr(result)
        assert "confident softmax" in result.reason
        p = Problem.make(3, 1, 1, 1407, "softmax_cross_entropy", convention)
        steps = helpers.run_steps(Problem(5 * p.W, 5 * p.X, p.loss, convention))  # every step's check, too
        assert "FAIL" not in [r.status for r in steps] and "INCONCLUSIVE" in [r.status for r in steps], steps


@pytest.mark.parametrize("scale", [1e-300, 1e-20, 1e-14, 1e-13])
@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_tiny_gradient_is_judged_on_its_own_scale_never_called_zero(scale, mode):
    """Below the absolute floor ZERO (1e-12) a gradient that its numeric reference resolves is not "zero":
    the right one passes on its own scale, a doubled one is never truthy (it was TRIVIAL, "holds").  With A
    itself tiny, A ± h cannot resolve the gradient: then never FAIL for the right one, never PASS for 2x."""
    A = np.random.default_rng(5).standard_normal((3, 4))
    kw = {"mode": mode, "rng": np.random.default_rng(0)} if mode == "directional" else {}
    f = lambda A: scale * float(np.sum(A ** 2))  # noqa: E731
    good, bad = gradcheck(f, A, 2 * scale * A, **kw), gradcheck(f, A, 4 * scale * A, **kw)
    assert good.status == "PASS" and not bad and bad.status != "TRIVIAL", (good, bad)
    assert "the gradient is zero" not in repr(bad), bad
    f = lambda A: float(np.sum(A ** 2))  # noqa: E731
    good, bad = gradcheck(f, scale * A, 2 * scale * A, **kw), gradcheck(f, scale * A, 4 * scale * A, **kw)
    assert good.status != "FAIL" and bad.status != "PASS", (good, bad)


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_constant_loss_is_flat_not_noisy(mode):
    """f = 1.0 takes the same value everywhere: its numeric gradient is exactly 0, so a nonzero gradient FAILs
    (the quantum of 1.0 is 1: read as round-off it made this INCONCLUSIVE, "round-off ~1e+07")."""
    A = np.random.default_rng(2).standard_normal((3, 4))
    kw = {"mode": mode, "rng": np.random.default_rng(0)} if mode == "directional" else {}
    for f in (lambda A: 1.0, lambda A: 0.5, lambda A: float(np.round(np.sum(A) * 0))):
        assert gradcheck(f, A, 2 * A, **kw).status == "FAIL"
        assert gradcheck(f, A, 0 * A, **kw).status == "TRIVIAL"
    p = Problem.make(3, 1, 1, 1407, "softmax_cross_entropy")  # a loss that does move stays protected
    q = Problem(5 * p.W, 5 * p.X, p.loss)
    assert gradcheck(q.f, q.W, matmul_grads(q.W, q.X, q.G)[0], **kw).status != "FAIL"


def test_trivial_says_zero_only_as_far_as_the_reference_resolves():
    """A reference of 1e-10 under a round-off of 1e-8 is not "the gradient is zero": it is zero to within its
    round-off (TRIVIAL, still not meaningful); an exactly zero reference is the gradient is zero."""
    from helpers.checks import compare
    r = compare("g", np.array([1e-10, -1e-11]), np.array([2e-10, 0.0]), 1e-6, 1e-5, noise=1e-8)
    assert r.status == "TRIVIAL" and not r.meaningful and "zero to within its round-off" in repr(r), r
    r = compare("g", np.zeros(2), np.zeros(2), 1e-6, 1e-5)
    assert r.status == "TRIVIAL" and "the gradient is zero;" in repr(r) and "round-off" not in repr(r).split(";")[0]


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_kink_is_named_as_such_not_round_off(mode):
    """Near a ReLU kink the numeric side cannot be trusted, and the reason must say why: f is not smooth there
    (its apparent noise shrinks with the step), not "round-off dominates ... rescale" (notebook 09's kink)."""
    rng = np.random.default_rng(9)
    X, W, b = rng.standard_normal((4, 5)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    b[0, 0] = -(W @ X)[0, 0]  # Z[0, 0] = 0: on the kink
    T = rng.standard_normal((3, 5))
    f = lambda W: 0.5 * float(np.sum((np.maximum(W @ X + b, 0) - T) ** 2))  # noqa: E731
    Z = W @ X + b
    right = ((np.maximum(Z, 0) - T) * (Z > 0)) @ X.T
    kw = {"mode": mode, "rng": np.random.default_rng(0)} if mode == "directional" else {}
    result = gradcheck(f, W, right, **kw)
    assert result.status == "INCONCLUSIVE" and not result, result
    assert "not smooth" in result.reason and "round-off dominates" not in result.reason, result
