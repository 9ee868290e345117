"""Bad input gets an error that names the shapes or values and the fix."""
import numpy as np
import pytest

import helpers
from helpers import gradcheck, matmul_grads, numerical_gradient, numerical_jacobian


def test_float32_is_refused_with_the_reason(rng):
    A = rng.standard_normal((2, 3)).astype(np.float32)
    with pytest.raises(TypeError, match=r"float32.*astype\(np.float64\)"):
        numerical_gradient(np.sum, A)


def test_integer_arrays_are_refused(rng):
    with pytest.raises(TypeError, match="int64.*float64"):
        numerical_jacobian(lambda A: A, np.arange(6).reshape(2, 3))


def test_lists_are_refused():
    with pytest.raises(TypeError, match="numpy array"):
        numerical_gradient(sum, [1.0, 2.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_names_the_index(bad, rng):
    A = rng.standard_normal((3, 3))
    A[1, 2] = bad
    with pytest.raises(ValueError, match=r"non-finite.*\(1, 2\)"):
        gradcheck(np.sum, A, np.ones((3, 3)))


def test_non_finite_gradient_is_refused(rng):
    A = rng.standard_normal((2, 2))
    with pytest.raises(ValueError, match="grad contains 1 non-finite"):
        gradcheck(np.sum, A, np.array([[1.0, np.nan], [1.0, 1.0]]))


def test_non_scalar_loss(rng):
    A = rng.standard_normal((2, 3))
    with pytest.raises(ValueError, match=r"scalar loss, got an array of shape \(2, 3\).*\.sum\(\)"):
        numerical_gradient(lambda A: A * 2, A)
    with pytest.raises(ValueError, match="scalar loss"):
        gradcheck(lambda A: A[0], A, np.zeros_like(A))


def test_non_finite_loss(rng):
    with pytest.raises(ValueError, match="must be finite"):
        with np.errstate(invalid="ignore"):
            numerical_gradient(lambda A: np.log(A).sum(), -np.ones((2, 2)))


@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0,)])
def test_zero_size_dimensions(shape):
    with pytest.raises(ValueError, match="zero-size dimension"):
        numerical_gradient(np.sum, np.zeros(shape))


def test_zero_size_matrices_in_matmul_grads():
    with pytest.raises(ValueError, match=r"W has shape \(0, 3\) with a zero-size"):
        matmul_grads(np.zeros((0, 3)), np.zeros((3, 2)), np.zeros((0, 2)))


def test_gradient_of_the_wrong_shape_suggests_a_transpose(rng):
    A = rng.standard_normal((2, 3))
    with pytest.raises(ValueError, match=r"grad \(gradcheck.s third argument\) has shape \(3, 2\) but the array you differentiate \(its second argument\) has shape \(2, 3\).*transposed"):
        gradcheck(np.sum, A, np.ones((3, 2)))


def test_matmul_shape_mismatch_names_shapes_and_fix(rng):
    W, X = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    with pytest.raises(ValueError, match=r"W has shape \(H, m\) = \(3, 4\) and X has shape \(5, 4\).*m = 4 rows.*X\.T"):
        matmul_grads(W, X, np.zeros((3, 5)))


def test_matmul_xw_shape_mismatch(rng):
    X, W = rng.standard_normal((5, 4)), rng.standard_normal((3, 2))
    with pytest.raises(ValueError, match=r"X has shape \(n, m\) = \(5, 4\) and W has shape \(3, 2\)"):
        matmul_grads(W, X, np.zeros((5, 2)), convention="XW")


def test_matmul_grads_checks_G(rng):
    W, X = rng.standard_normal((3, 4)), rng.standard_normal((4, 5))
    with pytest.raises(ValueError, match=r"G has shape \(5, 3\) but D = W X has shape \(3, 5\).*transposed"):
        matmul_grads(W, X, np.zeros((5, 3)))


def test_unknown_convention(rng):
    with pytest.raises(ValueError, match="'WX'.*'XW'"):
        matmul_grads(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), convention="XX")


def test_directional_mode_needs_an_rng(rng):
    A = rng.standard_normal((2, 2))
    with pytest.raises(TypeError, match="default_rng"):
        gradcheck(np.sum, A, np.ones((2, 2)), mode="directional")
    with pytest.raises(ValueError, match="mode must be"):
        gradcheck(np.sum, A, np.ones((2, 2)), mode="sideways")


def test_loss_errors(rng):
    with pytest.raises(ValueError, match="unknown loss 'hinge'.*squared_error"):
        helpers.make_loss("hinge", 2, 3, rng)
    with pytest.raises(TypeError, match="default_rng"):
        helpers.make_loss("squared_error", 2, 3, 42)
    loss = helpers.make_loss("squared_error", 2, 3, rng)
    with pytest.raises(ValueError, match=r"built for D of shape \(2, 3\).*got D of shape \(3, 2\)"):
        loss.value(np.zeros((3, 2)))


@pytest.mark.parametrize("H, m, n", [(0, 2, 2), (2, 1.5, 2), (2, 2, -1)])
def test_problem_rejects_bad_dimensions(H, m, n):
    with pytest.raises(ValueError, match="whole number >= 1"):
        helpers.Problem.make(H, m, n)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix, as some learners have it
def test_a_fraction_size_or_seed_is_a_clear_error_and_a_matrix_a_plain_array():
    """Fraction(1, 10**6) reached np.isfinite (a numpy TypeError); np.matrix A made f's A ** 2 a matrix power."""
    from fractions import Fraction
    for call in (lambda: helpers.Problem.make(Fraction(1, 10**6), 2, 2),
                 lambda: helpers.Problem.make(2, 2, 2, Fraction(1, 3)),
                 lambda: helpers.check_derivation(2, 2, 2, seed=Fraction(1, 2))):
        with pytest.raises(ValueError, match="whole number"):
            call()
    assert helpers.Problem.make(Fraction(2), 2, 2).W.shape == (2, 2)
    A = np.random.default_rng(0).standard_normal((3, 4))
    assert helpers.gradcheck(lambda B: float(np.sum(B ** 2)), np.matrix(A), 2 * A).status == "PASS"
    with pytest.raises(TypeError, match="masked array"):
        helpers.gradcheck(lambda B: float(np.sum(B ** 2)), np.ma.masked_array(A, mask=A > 1), 2 * A)
    with pytest.raises(TypeError, match="is a string"):
        helpers.gradcheck(lambda B: float(np.sum(B ** 2)), A, "2 * A")
