"""einsum_grad against central differences for every contraction the notebook shows, and its errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers import einsum_grad, gradcheck

# spec, shapes by index letter
CASES = {
    "matrix product": ("ik,kj->ij", "ik,kj"),
    "batched matrix product": ("bik,bkj->bij", "bik,bkj"),
    "outer product": ("i,j->ij", "i,j"),
    "bilinear form x^T A y": ("i,ij,j->", "i,ij,j"),
    "trace of a product": ("ij,ji->", "ij,ji"),
    "attention scores Q K^T": ("qd,kd->qk", "qd,kd"),
    "sum over an index only the first operand has": ("ij,j->j", "ij,j"),
    "implicit output": ("ij,jk", "ij,jk"),
}


def make(terms, sizes, rng):
    return [rng.standard_normal([sizes[c] for c in t]) for t in terms.split(",")]


@settings(max_examples=40, deadline=None)
@given(case=st.sampled_from(sorted(CASES)), seed=st.integers(0, 10**6),
       sizes=st.fixed_dictionaries({c: st.integers(1, 4) for c in "ijkbqd"}))
def test_against_central_differences(case, seed, sizes):
    spec, terms = CASES[case]
    rng = np.random.default_rng(seed)
    ops = make(terms, sizes, rng)
    T = rng.standard_normal(np.shape(np.einsum(spec, *ops)))
    for wrt in range(len(ops)):
        def f(A):
            args = list(ops)
            args[wrt] = A
            return 0.5 * np.sum((np.einsum(spec, *args) - T) ** 2)
        g_out = np.einsum(spec, *ops) - T
        assert gradcheck(f, ops[wrt].copy(), einsum_grad(spec, ops, g_out, wrt)), (case, wrt)


def test_matrix_product_is_G_X_transposed():
    rng = np.random.default_rng(0)
    W, X, G = rng.standard_normal((3, 4)), rng.standard_normal((4, 5)), rng.standard_normal((3, 5))
    assert np.array_equal(einsum_grad("ik,kj->ij", [W, X], G, 0), np.einsum("ij,kj->ik", G, X))
    assert np.allclose(einsum_grad("ik,kj->ij", [W, X], G, 0), G @ X.T)
    assert np.allclose(einsum_grad("ik,kj->ij", [W, X], G, 1), W.T @ G)


def test_broadcast_index_gives_a_writable_copy():
    g = einsum_grad("ij,j->j", [np.ones((3, 2)), np.ones(2)], np.array([1.0, 2.0]), 0)
    assert g.shape == (3, 2) and np.array_equal(g, [[1, 2]] * 3)
    g[0, 0] = 7  # not a read-only broadcast view


@pytest.mark.parametrize("spec, ops, g, wrt, match", [
    ("ii,ij->j", [np.ones((2, 2)), np.ones((2, 3))], np.ones(3), 0, "repeats within operand 'ii'"),
    ("...i,ij->...j", [np.ones((2, 2)), np.ones((2, 3))], np.ones((2, 3)), 0, "ellipsis"),
    ("ik,kj->ij", [np.ones((2, 2)), np.ones((2, 3))], np.ones((2, 3)), 2, "operand number from 0 to 1"),
    ("ik,kj->ij", [np.ones((2, 2))], np.ones((2, 3)), 0, "names 2 operand"),
    ("ik,kj->ij", [np.ones((2, 3)), np.ones((2, 3))], np.ones((2, 3)), 0, "index 'k' has size 3"),
    ("ik,kj->ij", [np.ones((2, 2)), np.ones((2, 3))], np.ones((3, 2)), 0, r"g_out has shape \(3, 2\)"),
    ("ik,kj->iz", [np.ones((2, 2)), np.ones((2, 3))], np.ones((2, 3)), 0, "appears in no operand"),
    ("ik,kj->ii", [np.ones((2, 2)), np.ones((2, 3))], np.ones((2, 2)), 0, "repeats within the output"),
    ("ik,k->ik", [np.ones((2, 2)), np.ones((2, 3))], np.ones((2, 2)), 0, "names 1 axes"),
])
def test_unsupported_or_inconsistent_specs(spec, ops, g, wrt, match):
    with pytest.raises(ValueError, match=match):
        einsum_grad(spec, ops, g, wrt)


def test_integer_operands_do_not_overflow():
    big = np.array([[-(2**62), 3], [0, 1]])  # int64: (2**62)·4 wraps around in integer arithmetic
    g = einsum_grad("ik,kj->ij", [big, np.eye(2, dtype=int)], 4 * np.ones((2, 2), dtype=int), 0)
    assert g.dtype == np.float64 and g[0, 0] == 4.0 and einsum_grad("ik,kj->ij", [big, big], big, 1)[0, 0] == 2.0**124
