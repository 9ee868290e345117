"""numerical_gradient / numerical_jacobian against functions whose derivatives are known in closed form."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers import numerical_gradient, numerical_jacobian

dims = st.integers(1, 8)


@settings(max_examples=25, deadline=None)
@given(H=dims, m=dims, seed=st.integers(0, 2**16))
def test_gradient_of_quadratic_form(H, m, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((H, m)), rng.standard_normal((H, m))
    f = lambda A: np.sum(B * A**2) + np.sum(B * A)  # d/dA = 2 B A + B
    g = numerical_gradient(f, A)
    assert g.shape == A.shape
    np.testing.assert_allclose(g, 2 * B * A + B, rtol=1e-6, atol=1e-7)


def test_restores_input_exactly(rng):
    A = rng.standard_normal((3, 4))
    before = A.copy()
    numerical_gradient(lambda A: np.sum(np.sin(A)), A)
    assert np.array_equal(A, before)


def test_restores_input_when_f_raises(rng):
    A = rng.standard_normal((2, 2))
    before = A.copy()
    calls = []

    def f(A):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("boom")
        return A.sum()

    with pytest.raises(RuntimeError):
        numerical_gradient(f, A)
    assert np.array_equal(A, before)


@settings(max_examples=25, deadline=None)
@given(H=dims, m=dims, n=dims, seed=st.integers(0, 2**16))
def test_jacobian_of_matmul_is_kronecker(H, m, n, seed):
    rng = np.random.default_rng(seed)
    W, X = rng.standard_normal((H, m)), rng.standard_normal((m, n))
    J = numerical_jacobian(lambda W: W @ X, W)
    assert J.shape == (H, n, H, m)
    # independent reference: dD_ij/dW_dc = [i = d] X_cj, written with an identity matrix
    expected = np.einsum("id,cj->ijdc", np.eye(H), X)
    np.testing.assert_allclose(J, expected, atol=1e-8)


def test_jacobian_of_elementwise_function(rng):
    A = rng.standard_normal((2, 3))
    J = numerical_jacobian(np.tanh, A)
    expected = np.zeros((2, 3, 2, 3))
    for k in np.ndindex(A.shape):
        expected[k + k] = 1 - np.tanh(A[k]) ** 2
    np.testing.assert_allclose(J, expected, atol=1e-8)
