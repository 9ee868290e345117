"""Each derivation step passes on the truth and fails on a planted mistake."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import helpers
from helpers import Problem, check_derivation, check_index_sum, check_matrix_form


@settings(max_examples=20, deadline=None)
@given(H=st.integers(1, 6), m=st.integers(1, 6), n=st.integers(1, 6), seed=st.integers(0, 1000),
       loss=st.sampled_from(sorted(helpers.LOSSES)), convention=st.sampled_from(["WX", "XW"]))
def test_every_step_holds(H, m, n, seed, loss, convention):
    table = check_derivation(H, m, n, seed, loss, convention)
    assert table, repr(table)
    assert len(table) == 6


def test_sparsity_counts_one_in_H():
    p = Problem.make(4, 3, 2)
    r = helpers.check_sparsity(p)
    assert r and "nonzero: 24 of 96 = 1/4" in r.detail


def test_sparsity_and_local_derivative_fail_on_a_wrong_jacobian():
    p = Problem.make(3, 3, 3)
    J = p.jacobian_canonical.copy()
    p.jacobian_canonical = J
    J[0, 1, 2, 0] = 0.5  # a dependence of D_01 on W_20 that the product does not have
    assert not helpers.check_sparsity(p)
    q = Problem.make(3, 3, 3)
    q.jacobian_canonical = q.jacobian_canonical.transpose(0, 1, 2, 3).copy()
    q.jacobian_canonical[1, :, 1, :] *= -1  # block d = 1 is -X^T instead of X^T
    assert not helpers.check_local_derivative(q)


def test_chain_rule_fails_if_the_jacobian_is_transposed():
    p = Problem.make(3, 3, 3, seed=4)
    p.jacobian = p.jacobian.transpose(1, 0, 3, 2).copy()  # the XW picture used for WX
    assert not helpers.check_chain_rule(p)


@pytest.mark.parametrize("convention", ["WX", "XW"])
def test_index_sum_and_matrix_form_reject_wrong_answers(convention):
    p = Problem.make(4, 4, 4, seed=5, convention=convention)
    right = p.G @ p.X.T if convention == "WX" else p.X.T @ p.G
    assert check_index_sum(p, right) and check_matrix_form(p, right)
    assert np.allclose(helpers.index_sum_loop(p.G, p.X, convention), right)
    for wrong in (-right, right / 4, right.T, p.G @ p.X if convention == "WX" else p.X @ p.G):
        assert not check_index_sum(p, wrong)
        assert not check_matrix_form(p, wrong)


def test_table_shows_as_text_and_html():
    t = check_derivation(2, 3, 2)
    assert repr(t).count("PASS") == 6
    assert t._repr_html_().count("PASS") == 6


@settings(max_examples=40, deadline=None)
@given(H=st.integers(1, 3), m=st.integers(1, 3), n=st.integers(1, 3), seed=st.integers(0, 2**16),
       loss=st.sampled_from(sorted(helpers.LOSSES)), scale=st.sampled_from([1e-3, 1.0, 5.0, 30.0]),
       convention=st.sampled_from(["WX", "XW"]))
def test_no_step_of_a_right_derivation_fails_at_any_scale(H, m, n, seed, loss, scale, convention):
    """issue 18: scaled inputs (a confident softmax, D in the hundreds) make round-off, not the claim, the
    difference; a step says INCONCLUSIVE then, never FAIL."""
    p = Problem.make(H, m, n, seed, loss, convention)
    table = helpers.run_steps(Problem(scale * p.W, scale * p.X, p.loss, convention))
    assert "FAIL" not in [r.status for r in table], repr(table)
    for r in table:
        assert r.status != "INCONCLUSIVE" or "round-off dominates" in r.reason
