"""Every loss: value against an independent plain-Python formula, gradient against central differences."""
import math

import numpy as np
import pytest

from helpers import LOSSES, gradcheck, make_loss


def reference_value(loss, D):
    """The loss written entry by entry with Python's math module, in the (H, n) layout."""
    D = D if loss.convention == "WX" else D.T
    H, n = D.shape
    if loss.name == "sum":
        return sum(D[i, j] for i in range(H) for j in range(n))
    if loss.name == "squared_error":
        return sum(0.5 * (D[i, j] - loss.T[i, j]) ** 2 for i in range(H) for j in range(n))
    if loss.name == "log_cosh":
        return sum(math.log(math.cosh(D[i, j] - loss.T[i, j])) for i in range(H) for j in range(n))
    if loss.name == "softmax_cross_entropy":
        return sum(math.log(sum(math.exp(D[i, j]) for i in range(H))) - D[loss.labels[j], j] for j in range(n))
    if loss.name == "logsumexp":
        return math.log(sum(math.exp(D[i, j]) for i in range(H) for j in range(n)))
    raise AssertionError(loss.name)


@pytest.mark.parametrize("convention", ["WX", "XW"])
@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("H, n", [(1, 1), (3, 5), (6, 2)])
def test_value_and_gradient(name, H, n, convention):
    rng = np.random.default_rng(H * 10 + n)
    loss = make_loss(name, H, n, rng, convention)
    D = 2 * rng.standard_normal(loss.shape)
    assert loss.value(D) == pytest.approx(reference_value(loss, D), rel=1e-12, abs=1e-12)
    G = loss.grad(D)
    assert G.shape == D.shape
    assert gradcheck(loss.value, D, G)
    if np.abs(G).max() > 1e-3:
        assert not gradcheck(loss.value, D, -G)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_rows_replaced_equals_full_evaluation(name):
    rng = np.random.default_rng(0)
    loss = make_loss(name, 4, 6, rng)
    D = rng.standard_normal((4, 6))
    rows = np.array([0, 3, 3, 1])
    R = rng.standard_normal((4, 6))
    got = loss._rows_replaced(D, rows, R)
    for k, (d, r) in enumerate(zip(rows, R)):
        E = D.copy()
        E[d] = r
        assert got[k] == pytest.approx(loss.value(E), rel=1e-12)


def test_large_logits_do_not_overflow():
    rng = np.random.default_rng(0)
    for name in ("softmax_cross_entropy", "logsumexp", "log_cosh"):
        loss = make_loss(name, 3, 4, rng)
        D = 800 * rng.standard_normal((3, 4))
        assert np.isfinite(loss.value(D)) and np.isfinite(loss.grad(D)).all()


def test_targets_come_from_the_rng_only():
    a = make_loss("softmax_cross_entropy", 5, 7, np.random.default_rng(3))
    np.random.seed(99)  # global state must not matter
    b = make_loss("softmax_cross_entropy", 5, 7, np.random.default_rng(3))
    assert np.array_equal(a.labels, b.labels)
