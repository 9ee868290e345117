"""Input checks shared by every helper: each error names the shapes or values and the fix."""
import numpy as np


def as_float64(A, name="A"):
    """Return A as a non-empty, finite float64 ndarray, or raise a ValueError/TypeError that says how to fix it.

    A: array of any shape. Integer and float32 arrays are refused rather than converted, because
    the numeric checks perturb A in place by h ~ 1e-6, below float32's resolution (eps ~ 1.2e-7).
    """
    if not isinstance(A, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(A).__name__}; use np.asarray({name}, dtype=np.float64)")
    if A.dtype != np.float64:
        why = ""
        if A.dtype == np.float32:
            why = (" float32 resolves only ~1e-7 relative, so a finite-difference step h = 1e-6 is lost in rounding"
                   " and the check would compare noise.")
        raise TypeError(f"{name} has dtype {A.dtype}; numeric differentiation needs float64.{why}"
                        f" Fix: {name} = {name}.astype(np.float64)")
    check_nonempty(A, name)
    check_finite(A, name)
    return A


def check_nonempty(A, name="A"):
    if A.size == 0:
        raise ValueError(f"{name} has shape {A.shape} with a zero-size dimension; every dimension must be at least 1")


def check_finite(A, name="A"):
    bad = ~np.isfinite(A)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or inf), the first at index {first}"
                         f" = {A[first]}; check how {name} was computed (overflow in exp? a division by zero?)")


def scalar(value, what="f(A)"):
    """Return value as a Python float; raise if it is not one finite scalar."""
    if np.ndim(value) != 0:
        shape = np.shape(value)
        raise ValueError(f"{what} must return a scalar loss, got an array of shape {shape};"
                         f" reduce it to one number, e.g. with .sum()")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{what} returned {value}; the loss must be finite at the point being checked")
    return value


def same_shape(grad, A, grad_name="grad", name="A"):
    """Raise unless the gradient has exactly the shape of what it differentiates."""
    if np.shape(grad) != np.shape(A):
        hint = " (is it transposed?)" if np.shape(grad) == np.shape(A)[::-1] else ""
        raise ValueError(f"{grad_name} has shape {np.shape(grad)} but {name} has shape {np.shape(A)};"
                         f" a gradient has the shape of what it differentiates{hint}")


def matmul_shapes(W, X, convention="WX"):
    """Check W and X fit the convention and return (H, m, n).

    convention "WX": W (H, m), X (m, n), D = W X (H, n).  "XW": X (n, m), W (m, H), D = X W (n, H).
    """
    if convention not in ("WX", "XW"):
        raise ValueError(f"convention must be 'WX' (D = W X) or 'XW' (D = X W), got {convention!r}")
    for name, A in (("W", W), ("X", X)):
        if np.ndim(A) != 2:
            raise ValueError(f"{name} must be a 2-D matrix, got shape {np.shape(A)}")
        check_nonempty(np.asarray(A), name)
    if convention == "WX":
        (H, m), (m2, n) = W.shape, X.shape
        if m != m2:
            hint = " Did you mean X.T?" if X.shape[1] == m else ""
            raise ValueError(f"W has shape (H, m) = {W.shape} and X has shape {X.shape}: for D = W X, X needs"
                             f" m = {m} rows (features as rows, samples as columns).{hint}")
    else:
        (n, m), (m2, H) = X.shape, W.shape
        if m != m2:
            hint = " Did you mean X.T?" if X.shape[0] == m2 else ""
            raise ValueError(f"X has shape (n, m) = {X.shape} and W has shape {W.shape}: for D = X W, W needs"
                             f" m = {m} rows (samples as rows of X).{hint}")
    return H, m, n
