"""gradcheck: compare an analytic gradient with central differences, in full or directional mode."""
import numbers

import numpy as np

from .checks import compare
from .numeric import (H_DEFAULT, INSTEAD_LOOP, _value_at_A, gradient_loop, measured_roundoff, noise_level,
                      roundoff)
from .validate import _as_float, as_float64, check_work, real_array, same_shape, scalar, step_size

ATOL, RTOL = 1e-6, 1e-5
MAX_RTOL = 1e-2  # a larger rtol would pass classic mistakes (a stray factor, a mean for a sum at large n)


def gradcheck(f, A, grad, mode="full", *, h=H_DEFAULT, atol=ATOL, rtol=RTOL, rng=None, directions=1,
              name="gradient"):
    """Check that grad is dL/dA for the scalar function f at A; returns a CheckResult (truthy iff it held).

    f: function of a float64 array shaped like A, returning a float64 scalar.  A: float64 array, any shape,
    never modified.  grad: array of A's shape.
    mode="full": every entry of grad against central differences (2 + 2·A.size evaluations of f; if f has
    a `central_differences(A, h)` method, e.g. helpers.MatmulLoss, it computes the same quotients faster).
    mode="directional": for `directions` (default 1, as jax) random unit directions v from rng, compares <grad, v>
    with (f(A + h v) - f(A - h v)) / 2h: 2 + 2·directions evaluations, whatever the size of A.
    Both modes first evaluate f(A) twice: to validate what f returns, and to notice an f that is not
    deterministic or that writes into its argument.  Before saying FAIL, both measure f's own round-off near A
    (helpers.numeric.measured_roundoff: 16 more evaluations in full mode, 6 in directional mode).

    Tolerance rule: an entry passes if |grad - ref| <= atol' + rtol·|ref|, with
      atol' = min(atol + r, 1e-3·max|ref|),  r = 100·eps·|f|/h  (the round-off of a central difference),
    so no entry's tolerance ever exceeds (1e-3 + rtol)·max|ref|: the tolerance cannot outgrow the gradient
    (no false PASS from a huge |f| or a tiny h).  Float64 central differences with h = 1e-6 have truncation
    error ~ h²|f'''|/6 ~ 1e-13 and round-off ~ eps|f|/h ~ 2e-10·|f|; rtol = 1e-5 and atol = 1e-6 sit far above
    that noise, while every classic mistake (a missing transpose, a sign, a factor 1/n) is off by O(1) relative.
    torch.autograd.gradcheck uses atol 1e-5, rtol 1e-3.  h must lie in [1e-10, 1e-3] (else refused, with why).
    eps·|f| underestimates the round-off of an f that cancels large terms (a confident softmax: L = 1e-9 from
    two numbers near 13), so before a FAIL, f's own round-off sigma is measured near A (noise_level) and
    r = max(100·eps·|f|, 10·sigma)/h: a difference that this r can explain is INCONCLUSIVE, never FAIL.
    Verdicts: PASS; TRIVIAL when both sides are zero (holds, proves nothing: see `meaningful`); FAIL;
    INCONCLUSIVE when round-off dominates (|f|, or the values f computes with, huge next to its changes).
    """
    if not callable(f):
        raise TypeError(f"f must be the loss as a function of A, got {type(f).__name__} {f!r:.40}")
    A = as_float64(A, "A")
    if grad is None:
        raise TypeError("grad is None; pass your gradient, an array of A's shape (did a function forget `return`?)")
    same_shape(grad, A, "grad (gradcheck's third argument)", "the array you differentiate (its second argument)")
    grad = real_array(grad, "grad")
    h = step_size(h, strict=True)
    atol, rtol = _tolerances(atol, rtol)
    name = str(name)
    if mode == "full":
        return _full(f, A, grad, h, atol, rtol, name)
    if mode != "directional":
        raise ValueError(f"mode must be 'full' or 'directional', got {mode!r}")
    return _directional(f, A, grad, h, atol, rtol, name, rng, directions)


def _full(f, A, grad, h, atol, rtol, name):
    fast = getattr(f, "central_differences", None)
    if fast is None:
        numeric, f0, top = gradient_loop(f, A, h, strict=True, caller="a full gradcheck")
    else:
        f0 = _value_at_A(f, A.copy(), A)
        numeric = fast(A.copy(), h)
        top = abs(f0) + h * float(np.abs(numeric).sum())
    reason = ("f(A + h e_k) = f(A - h e_k) for every entry k of the array you differentiate: it is a"
              " stationary point of f (or f is constant near it)") if not np.any(numeric) else ""
    result, spent = _verdict(f, A, h, name, numeric, grad, atol, rtol, top, None, {0: f0}, reason=reason)
    result.extra.update(mode="full", evaluations=2 + 2 * A.size + spent, h=h, f_value=f0)
    return result


def _directional(f, A, grad, h, atol, rtol, name, rng, directions):
    if not isinstance(rng, np.random.Generator):
        raise TypeError("directional mode draws random directions: pass rng=np.random.default_rng(seed)")
    if isinstance(directions, (bool, np.bool_)) or not isinstance(directions, numbers.Integral):
        raise TypeError(f"directions must be a whole number such as 1 or 5, got {directions!r}")
    if directions < 1:
        raise ValueError(f"directions must be at least 1, got {directions}")
    check_work(2 + 2 * int(directions), f"gradcheck with directions = {directions:,}",
               "a handful of random directions (1 to 10) already catches a wrong gradient with probability 1")
    f0 = _value_at_A(f, A.copy(), A)
    numeric, analytic = np.empty(directions), np.empty(directions)
    top, first = abs(f0), None
    for k in range(directions):
        v = rng.standard_normal(A.shape)
        v /= np.linalg.norm(v)
        up_x, down_x = A + h * v, A - h * v
        if np.array_equal(up_x, down_x):
            raise ValueError(f"h = {h:g} is below the resolution of A (max|A| = {np.abs(A).max():g}): A ± h v round"
                             f" to the same array; scale A down or use a larger h")
        up = scalar(f(up_x), "f(A + h v)")
        down = scalar(f(down_x), "f(A - h v)")
        numeric[k] = (up - down) / (2 * h)
        analytic[k] = np.vdot(grad, up_x - down_x) / (2 * h)  # the step actually taken
        top = max(top, abs(up), abs(down))
        if first is None:
            first = v, {-1: down, 0: f0, 1: up}
    result, spent = _verdict(f, A, h, name + " (directional)", numeric, analytic, atol, rtol, top, *first)
    result.extra.update(mode="directional", evaluations=2 + 2 * directions + spent, h=h, f_value=f0)
    return result


def _verdict(f, A, h, name, numeric, analytic, atol, rtol, top, v, known, reason=""):
    """compare(), and before a FAIL is said, f's round-off measured near A (noise_level): if it, not the
    answer, can explain the difference, the verdict is INCONCLUSIVE.  Returns (result, extra evaluations)."""
    floor = roundoff(top, h)
    result = compare(name, numeric, analytic, atol, rtol, noise=floor, reason=reason)
    if result.status != "FAIL":
        return result, 0
    directions = (None, result.worst_index) if v is None else (v,)  # full mode: also along the worst entry
    measured, spent = measured_roundoff(f, A, h, top, directions, known)
    if measured > floor:
        result = compare(name, numeric, analytic, atol, rtol, noise=measured, trivial_noise=floor, reason=reason)
        if result.status == "INCONCLUSIVE":  # round-off, or a kink? only round-off stays when the step shrinks
            rough, more = _not_smooth(f, A, h, directions[-1])
            spent += more
            if rough:
                result.reason = NOT_SMOOTH
    result.extra["roundoff_measured"] = measured
    return result, spent


NOT_SMOOTH = ("f is not smooth near A: its values jump by more than round-off can, and by less when the step"
              " shrinks (round-off would not): a kink (such as ReLU at 0) or a jump lies within a few h of A."
              " Finite differences cannot check the gradient there; move A away from it, or check the entries"
              " away from it")


def _not_smooth(f, A, h, direction):
    """(True if f's apparent noise along direction shrinks with the step, evaluations): a kink, not round-off.

    Round-off in f's values does not depend on the step; the trace of a kink in the difference table scales
    with it.  direction: an entry of A (a tuple) or a direction of A's shape."""
    A = np.asarray(A, dtype=np.float64)
    if isinstance(direction, tuple):
        v = np.zeros(A.shape)
        v[direction] = 1.0
    else:
        v = None if direction is None else np.asarray(direction, dtype=np.float64)
    big, n1 = noise_level(f, A, h, v)
    small, n2 = noise_level(f, A, h / 16, v)
    return bool(big > 0 and small < big / 4), n1 + n2


def _tolerances(atol, rtol):
    for label, value in (("atol", atol), ("rtol", rtol)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
                or not np.isfinite(_as_float(value, label)) or value < 0:
            raise ValueError(f"{label} must be a finite number >= 0, got {value!r:.40}")
    if rtol > MAX_RTOL:
        raise ValueError(f"rtol = {rtol:g} is above {MAX_RTOL:g}: a check that accepts {rtol:.0%} errors passes"
                         f" classic mistakes (a stray factor, a mean for a sum); keep the default rtol = {RTOL:g}")
    return float(atol), float(rtol)


__all__ = ["gradcheck", "ATOL", "RTOL", "INSTEAD_LOOP"]
