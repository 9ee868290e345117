"""gradcheck: compare an analytic gradient with central differences, in full or directional mode."""
import numpy as np

from .checks import compare
from .numeric import H_DEFAULT, numerical_gradient
from .validate import as_float64, check_finite, same_shape, scalar

ATOL, RTOL = 1e-6, 1e-5


def gradcheck(f, A, grad, mode="full", *, h=H_DEFAULT, atol=ATOL, rtol=RTOL, rng=None, directions=1,
              name="gradient"):
    """Check that grad is dL/dA for the scalar function f at A; returns a CheckResult (truthy iff it passed).

    f: scalar function.  A: float64 array, any shape (restored afterwards).  grad: array of A's shape.
    mode="full": every entry of grad against central differences (2 evaluations of f per entry; if f has
    a `central_differences(A, h)` method, e.g. helpers.MatmulLoss, it computes the same quotients faster).
    mode="directional": for `directions` (default 1, as jax) random unit directions v from rng, compares <grad, v> with
    (f(A + h v) - f(A - h v)) / 2h: two evaluations per direction, whatever the size of A.

    Tolerances (float64): central differences with h = 1e-6 have truncation error ~ h^2 |f'''| ~ 1e-12
    and round-off ~ eps |f| / h ~ 2e-10 |f|.  An entry passes if |analytic - numeric| <= atol' + rtol |numeric|
    with rtol = 1e-5, atol' = 1e-6 + 100 eps max(1, |f(A)|) / h (the round-off floor grows with the loss).
    torch.autograd.gradcheck uses atol 1e-5, rtol 1e-3; ours is tighter and still far above the noise, while
    every classic mistake (a missing transpose, a sign, a factor 1/n) is off by O(1) relative.
    """
    A = as_float64(A, "A")
    same_shape(grad, A, "grad", "A")
    grad = np.asarray(grad, dtype=np.float64)
    check_finite(grad, "grad")
    if mode == "full":
        fast = getattr(f, "central_differences", None)
        numeric = fast(A, h) if fast else numerical_gradient(f, A, h)
        result = compare(name, numeric, grad, _floor(atol, f(A), h), rtol)
        result.extra.update(mode="full", evaluations=2 * A.size)
        return result
    if mode != "directional":
        raise ValueError(f"mode must be 'full' or 'directional', got {mode!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("directional mode draws random directions: pass rng=np.random.default_rng(seed)")
    if directions < 1:
        raise ValueError(f"directions must be at least 1, got {directions}")
    numeric, analytic = np.empty(directions), np.empty(directions)
    for k in range(directions):
        v = rng.standard_normal(A.shape)
        v /= np.linalg.norm(v)
        up, down = scalar(f(A + h * v), "f(A + h v)"), scalar(f(A - h * v), "f(A - h v)")
        numeric[k] = (up - down) / (2 * h)
        analytic[k] = np.vdot(grad, v)
    # f(A + h v) stands in for f(A) in the round-off floor: one evaluation fewer
    result = compare(name + " (directional)", numeric, analytic, _floor(atol, up, h), rtol)
    result.extra.update(mode="directional", evaluations=2 * directions)
    return result


def _floor(atol, f_value, h):
    """atol plus the round-off of a central difference: ~ eps |f| / h, with a safety factor of 100."""
    return atol + 100 * np.finfo(np.float64).eps * max(1.0, abs(scalar(f_value, "f(A)"))) / h
