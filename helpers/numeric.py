"""Central differences: the numeric reference every analytic step is compared with."""
import numpy as np

from .validate import as_float64, check_finite, scalar

H_DEFAULT = 1e-6  # as torch.autograd.gradcheck; see gradcheck's docstring for the error budget


def numerical_gradient(f, A, h=H_DEFAULT):
    """dL/dA by central differences, one entry at a time: (f(A + h e_k) - f(A - h e_k)) / 2h.

    f: scalar function of an array shaped like A.  A: float64 array of any shape, perturbed in place
    and restored afterwards (also when f raises).  Returns an array of A's shape.
    """
    as_float64(A)
    scalar(f(A), "f(A)")
    grad = np.empty_like(A)
    for k in np.ndindex(A.shape):
        old = A[k]
        try:
            A[k] = old + h
            up = f(A)
            A[k] = old - h
            down = f(A)
        finally:
            A[k] = old
        grad[k] = (scalar(up, "f(A + h)") - scalar(down, "f(A - h)")) / (2 * h)
    return grad


def numerical_jacobian(F, A, h=H_DEFAULT):
    """dF/dA by central differences for an array-valued F.

    F: function of an array shaped like A, returning an array of shape S.  A: float64 array, restored
    afterwards.  Returns J of shape S + A.shape with J[s + k] = dF_s/dA_k; for F(W) = W @ X with
    W (H, m), X (m, n) that is the 4-D dD/dW of shape (H, n, H, m).
    """
    as_float64(A)
    out = np.asarray(F(A), dtype=np.float64)
    check_finite(out, "F(A)")
    J = np.empty(out.shape + A.shape)
    for k in np.ndindex(A.shape):
        old = A[k]
        try:
            A[k] = old + h
            up = np.array(F(A), dtype=np.float64)
            A[k] = old - h
            down = np.array(F(A), dtype=np.float64)
        finally:
            A[k] = old
        J[(Ellipsis,) + k] = (up - down) / (2 * h)
    return J
