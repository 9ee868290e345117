"""Central differences: the numeric reference every analytic step is compared with.

Every function here works on a private copy of A (the caller's array is never written, even if it is
read-only or a broadcast view whose entries share memory), evaluates f at A twice first (to validate what f
returns, to notice an f that changes between calls or writes into its argument), and refuses before the loop
a job above the caps in helpers.validate.
"""
import time

import numpy as np

from .validate import (EPS, MAX_SECONDS, as_float64, check_bytes, check_finite, check_work, scalar, step_size)

H_DEFAULT = 1e-6  # as torch.autograd.gradcheck; see gradcheck's docstring for the error budget
ROUNDOFF_FACTOR = 100  # safety factor on the round-off estimate eps·|f|/h of one central difference
INSTEAD_LOOP = ("check a scalar loss with helpers.gradcheck(f, A, grad, mode='directional',"
                " rng=np.random.default_rng(0)) (2 evaluations per direction), or a smaller A")
INSTEAD_JACOBIAN = ("a gradient check never needs the full Jacobian: check a scalar loss with helpers.gradcheck"
                    " (mode='directional' for big arrays), or use the matrix form (dL/dW = G @ X.T)")


def roundoff(f_scale, h):
    """Estimated round-off of one central-difference quotient: ROUNDOFF_FACTOR·eps·|f| / h."""
    return ROUNDOFF_FACTOR * EPS * abs(f_scale) / h


def numerical_gradient(f, A, h=H_DEFAULT):
    """dL/dA by central differences, one entry at a time: (f(A + h e_k) - f(A - h e_k)) / 2h.

    f: scalar function of a float64 array shaped like A, returning a float.  A: float64 array of any shape,
    never modified (a copy is perturbed).  h: the step (outside [1e-10, 1e-3] a warning says why it is
    unwise).  Costs 2 + 2·A.size evaluations of f.  Returns an array of A's shape.
    """
    return gradient_loop(f, A, h, strict=False, caller="numerical_gradient")[0]


def gradient_loop(f, A, h, strict, caller):
    """(gradient, f(A), max |f| seen) by the entry-by-entry loop; strict refuses h outside the sensible range."""
    A = as_float64(A)
    _callable(f, "f")
    h = step_size(h, strict)
    check_work(2 * A.size + 2, f"{caller} over A of shape {A.shape} ({A.size:,} entries)", INSTEAD_LOOP)
    work = A.copy()
    start = time.perf_counter()
    f0 = _value_at_A(f, work, A)
    _refuse_slow(time.perf_counter() - start, A.size, caller)
    grad = np.empty_like(A)
    top = abs(f0)
    for k in np.ndindex(A.shape):
        old = work[k]
        up_x, down_x = _steps(old, h, k)
        try:
            work[k] = up_x
            up = f(work)
            work[k] = down_x
            down = f(work)
        finally:
            work[k] = old
        up = scalar(up, f"f(A) is finite, but f with entry {k} of A moved by +h")
        down = scalar(down, f"f(A) is finite, but f with entry {k} of A moved by -h")
        grad[k] = (up - down) / (up_x - down_x)  # the step actually taken, exactly
        top = max(top, abs(up), abs(down))
    _unchanged(work, A, "f")
    return grad, f0, top


def numerical_jacobian(F, A, h=H_DEFAULT):
    """dF/dA by central differences for an array-valued F.

    F: function of a float64 array shaped like A, returning a float64 array of shape S (the same every call).
    A: float64 array, never modified.  Returns J of shape S + A.shape with J[s + k] = dF_s/dA_k; for
    F(W) = W @ X with W (H, m), X (m, n) that is the 4-D dD/dW of shape (H, n, H, m).  Refuses, before the
    loop, a J above 100 MB or more than 100,000 evaluations of F.
    """
    A = as_float64(A)
    _callable(F, "F")
    h = step_size(h, strict=False)
    check_work(2 * A.size + 2, f"numerical_jacobian over A of shape {A.shape} ({A.size:,} entries)", INSTEAD_LOOP)
    work = A.copy()
    start = time.perf_counter()
    out = _array_out(F(work), "F(A)")
    _unchanged(work, A, "F")
    again = _array_out(F(work), "F(A), evaluated a second time", out.shape)
    _refuse_slow(time.perf_counter() - start, A.size, "numerical_jacobian", "F")
    if not np.allclose(again, out, rtol=1e3 * EPS, atol=0):
        raise ValueError("F(A) returned different values for the same A on two calls; central differences need a"
                         " deterministic F (fix any random seed inside F, or draw random numbers once outside it)")
    check_bytes(8 * out.size * A.size, f"the Jacobian dF/dA of shape {out.shape + A.shape}"
                f" ({out.size * A.size:,} entries)", INSTEAD_JACOBIAN)
    J = np.empty(out.shape + A.shape)
    for k in np.ndindex(A.shape):
        old = work[k]
        up_x, down_x = _steps(old, h, k)
        try:
            work[k] = up_x
            up = _array_out(F(work), f"F with entry {k} of A moved by +h", out.shape)
            work[k] = down_x
            down = _array_out(F(work), f"F with entry {k} of A moved by -h", out.shape)
        finally:
            work[k] = old
        J[(Ellipsis,) + k] = (up - down) / (up_x - down_x)
    _unchanged(work, A, "F")
    return J


def _callable(f, name):
    if not callable(f):
        raise TypeError(f"{name} must be a function of the array, got {type(f).__name__} {f!r:.40}")


def _value_at_A(f, work, A):
    """f(A) twice: a valid loss value, the same both times, and A untouched; returns the value."""
    first = scalar(f(work), "f(A)")
    _unchanged(work, A, "f")
    second = scalar(f(work), "f(A), evaluated a second time")
    if abs(first - second) > 1e3 * EPS * max(abs(first), abs(second)):
        raise ValueError(f"f is not deterministic: f(A) returned {first!r} and then {second!r} for the same A."
                         f" Central differences need the same value for the same input: fix the random seed inside"
                         f" f, or draw random numbers once outside it")
    return first


def _unchanged(work, A, name):
    """Raise if the function wrote into its argument (the caller's A is safe: work is a private copy)."""
    if not np.array_equal(work, A):
        k = tuple(int(i) for i in np.argwhere(work != A)[0])
        raise ValueError(f"{name} modified its argument in place (entry {k} changed from {float(A[k]):.6g} to"
                         f" {float(work[k]):.6g});"
                         f" {name} must not write to it: start {name} with A = A.copy(), or avoid in-place updates"
                         f" such as A += ... (your array was not changed: the checks work on a copy)")


def _steps(old, h, k):
    up_x, down_x = old + h, old - h
    if up_x == down_x:
        raise ValueError(f"h = {h:g} is below the resolution of A at entry {k} (A{list(k)} = {old:g}): A ± h round to"
                         f" the same number; scale A down or use a larger h")
    return up_x, down_x


def _refuse_slow(seconds_for_two, size, caller, name="f"):
    estimate = seconds_for_two * size  # 2 evaluations per entry
    if estimate > MAX_SECONDS:
        raise ValueError(f"{caller} would take about {estimate / 60:,.0f} min: one evaluation of {name} takes"
                         f" {seconds_for_two / 2 * 1e3:,.1f} ms and A has {size:,} entries (2 evaluations each);"
                         f" {INSTEAD_LOOP}")


def _array_out(value, what, shape=None):
    """F's output as a float64 array, refusing what central differences cannot use."""
    if value is None:
        raise TypeError(f"{what} returned None; did you forget `return` in your function?")
    try:
        arr = np.asarray(value)
    except ValueError as err:
        raise ValueError(f"{what} did not return a rectangular array ({err})")
    kind, size = arr.dtype.kind, arr.dtype.itemsize
    if kind in "biu":
        raise TypeError(f"{what} returned {arr.dtype} values; a Jacobian needs float64 outputs (bools and integers"
                        f" do not change by small steps, so every derivative would read 0)")
    if kind == "c":
        raise TypeError(f"{what} returned complex values; split F into its real and imaginary parts")
    if kind == "f" and size < 8:
        raise TypeError(f"{what} returned {arr.dtype}; compute F in float64 (float32 resolves ~1e-7)")
    if kind not in "f":
        raise TypeError(f"{what} returned {type(value).__name__} of dtype {arr.dtype}; return a float64 array")
    arr = arr.astype(np.float64)
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{what} returned shape {arr.shape}, but F(A) has shape {shape}; F must keep its shape")
    if shape is not None and not np.isfinite(arr).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0]) if arr.ndim else ()
        raise ValueError(f"F is finite at A, but {what} returned {arr[first]} at output index {first}: F is not"
                         f" finite within h of A, so no derivative can be measured there; move A away from the"
                         f" singularity or boundary")
    check_finite(arr, what)
    return arr
