"""Central differences: the numeric reference every analytic step is compared with.

Every function here works on a private copy of A (the caller's array is never written, even if it is
read-only or a broadcast view whose entries share memory), evaluates f at A twice first (to validate what f
returns, to notice an f that changes between calls or writes into its argument), and refuses before the loop
a job above the caps in helpers.validate.
"""
import math
import numbers
import time

import numpy as np

from .validate import (EPS, MAX_SECONDS, as_float64, check_bytes, check_finite, check_work, scalar, step_size)

H_DEFAULT = 1e-6  # as torch.autograd.gradcheck; see gradcheck's docstring for the error budget
ROUNDOFF_FACTOR = 100  # safety factor on the round-off estimate eps·|f|/h of one central difference
INSTEAD_LOOP = ("check a scalar loss with helpers.gradcheck(f, A, grad, mode='directional',"
                " rng=np.random.default_rng(0)) (2 evaluations per direction), or a smaller A")
INSTEAD_JACOBIAN = ("a gradient check never needs the full Jacobian: check a scalar loss with helpers.gradcheck"
                    " (mode='directional' for big arrays), or use the matrix form (dL/dW = G @ X.T)")


PROBE_STEPS = 4  # the round-off probe evaluates f at A + j·h·v for j = -4..4 (8 evaluations besides f(A))
MEASURED_FACTOR = 10  # safety factor on a measured round-off sigma: |error of a quotient| <~ 4 sigma / 2h, x 5


def roundoff(f_scale, h, sigma=0.0):
    """Estimated round-off of one central-difference quotient: max(100·eps·|f|, 10·sigma) / h.

    sigma: f's round-off measured near A (noise_level), when known: a loss computed as a difference of large
    terms (a confident softmax: L = 1e-9 from two numbers near 13) carries far more than eps·|f|.
    """
    return max(ROUNDOFF_FACTOR * EPS * abs(f_scale), MEASURED_FACTOR * float(sigma)) / h


def measured_roundoff(f, A, h, top, directions=(None,), known=None):
    """(r, evaluations): the round-off of one central-difference quotient of f at A, from what f really does.

    r = roundoff(top, h, sigma) with sigma the largest noise_level of f along `directions` (None: a fixed
    random one; a tuple: the unit vector of that entry of A).  known: {j: f(A + j·h·v)} for the first
    direction (its j = 0 value serves every direction).
    """
    A = np.asarray(A, dtype=np.float64)
    sigma, spent = 0.0, 0
    for i, v in enumerate(directions):
        if isinstance(v, tuple):
            k, v = v, np.zeros(A.shape)
            v[k] = 1.0
        s, n = noise_level(f, A, h, v, known if i == 0 else {j: x for j, x in (known or {}).items() if j == 0})
        sigma, spent = max(sigma, s), spent + n
    return roundoff(top, h, sigma), spent


def noise_level(f, A, h, v=None, known=None):
    """(sigma, evaluations): the standard deviation of f's round-off near A, measured from f itself.

    f is evaluated at A + j·h·v, j = -4..4 (v: a unit direction of A's shape; default a fixed random one;
    known: {j: f value} already computed).  Orders 4 to 6 of their difference table hold round-off only (the
    smooth part is ~ h^k·f^(k), below 1e-24·f^(k) at h = 1e-6); for independent round-off of size sigma,
    gamma_k·mean((Δ^k f)^2) with gamma_k = (k!)^2/(2k)! estimates sigma^2 (Moré & Wild's ECnoise, 2011).
    Round-off that is quantized (L = round(13.26 + 1e-9) - 13.26 is a multiple of ulp(13.26) = 2^-49) can
    drift linearly along v and vanish from the table, so the values' common quantum (_quantum) is a floor too.
    The largest estimate is returned; 0.0 if f is not finite at a probe point, or if f is flat (the same
    value at all nine points and at A ± max(1, max|A|)·v: 2 more evaluations).
    """
    A = np.asarray(A, dtype=np.float64)
    if v is None:
        v = np.random.default_rng(0).standard_normal(A.shape)  # a private generator: global state untouched
        v /= np.linalg.norm(v)
    known = dict(known or {})
    values, spent = [], 0
    for j in range(-PROBE_STEPS, PROBE_STEPS + 1):
        if j not in known:
            value = f(A + j * h * v)
            spent += 1
            try:
                known[j] = scalar(value, f"f at A + {j}·h·v (a round-off probe)")
            except ValueError:  # not finite 4h away: no estimate (the |f|-based one still applies)
                return 0.0, spent
        values.append(known[j])
    if len(set(values)) == 1:  # no change at all within 4h: f is flat along v, or its changes are below its quantum
        reach = max(1.0, float(np.abs(A).max(initial=0.0)))  # as far as A's own size: a real loss moves there
        try:
            far = [f(A + j * reach * v) for j in (-1, 1)]
        except Exception:  # noqa: BLE001 - undefined out there: no conclusion, the quantum stays
            far = [None]
        spent += 2
        # flat along v as far as A's own size: its quotient is exactly 0, not round-off (the quantum of a
        # constant f = 1.0 is 1, which would otherwise read as a round-off of 1e7 at h = 1e-6)
        if all(isinstance(x, numbers.Real) and x == values[0] for x in far):
            return 0.0, spent
    table, sigma = np.array(values), _quantum(values[:PROBE_STEPS] + values[PROBE_STEPS + 1:])
    for k in range(1, 7):
        table = np.diff(table)
        if k >= 4:
            gamma = math.factorial(k) ** 2 / math.factorial(2 * k)
            sigma = max(sigma, math.sqrt(gamma * float(np.mean(table ** 2))))
    return sigma, spent


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


def _quantum(values):
    """The largest power of two of which every nonzero value is a whole multiple: ~ulp(|f|) for a value
    computed directly, far more when f cancels large terms (then that is its round-off)."""
    exponents = []
    for x in values:
        if x != 0:
            mantissa, exponent = math.frexp(abs(x))
            bits = int(mantissa * 2 ** 53)
            exponents.append(exponent - 53 + (bits & -bits).bit_length() - 1)
    return math.ldexp(1.0, min(exponents)) if exponents else 0.0


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
        raise ValueError(f"{caller} would take about {estimate / 60:,.0f} min, more than the {MAX_SECONDS / 60:.0f} min"
                         f" it may take: one evaluation of {name} takes {seconds_for_two / 2 * 1e3:,.1f} ms and A has"
                         f" {size:,} entries (2 evaluations each); {INSTEAD_LOOP}")


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
