"""Input checks shared by every helper: each error names the shapes or values and the fix.

Size caps live here too, so every function that builds a Jacobian or loops entry by entry refuses, before any
work, a job above them, saying what it would need and what to use instead.
"""
import numbers
import warnings

import numpy as np

EPS = np.finfo(np.float64).eps
MAX_EVALUATIONS = 100_000  # f evaluations of an entry-by-entry central-difference loop (2 per entry)
MAX_JACOBIAN_BYTES = 100_000_000  # 100 MB for a numeric Jacobian
MAX_ARRAY_ENTRIES = 50_000_000  # 400 MB for one float64 array a helper allocates (targets, W, X)
MAX_SECONDS = 120  # an entry-by-entry loop whose first two evaluations predict more than this is refused
H_RANGE = (1e-10, 1e-3)  # sensible central-difference steps for float64 (see gradcheck's docstring)
H_LIMITS = (1e-14, 1.0)  # outside these even the raw tools refuse: the quotient would be noise or no derivative


def as_float64(A, name="A"):
    """Return A as a non-empty, finite float64 ndarray, or raise a ValueError/TypeError that says how to fix it.

    A: array of any shape. Integer and float32 arrays are refused rather than converted, because
    the numeric checks perturb A by h ~ 1e-6, below float32's resolution (eps ~ 1.2e-7).
    """
    if not isinstance(A, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(A).__name__}; use np.asarray({name}, dtype=np.float64)")
    if isinstance(A, np.matrix):  # f receives plain arrays: A ** 2 is then entrywise, as in every notebook
        A = np.asarray(A)
    if isinstance(A, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array; a derivative needs every entry: pass {name}.filled(value) or"
                        f" np.asarray({name}) (its data, mask dropped)")
    if A.dtype != np.float64:
        why = ""
        if A.dtype == np.float32:
            why = (" float32 resolves only ~1e-7 relative, so a finite-difference step h = 1e-6 is lost in rounding"
                   " and the check would compare noise.")
        elif A.dtype == bool:
            why = " A bool array has no derivative (True/False cannot move by h)."
        elif np.issubdtype(A.dtype, np.complexfloating):
            why = " Complex arrays are not supported: check the real and imaginary parts as two real arrays."
        raise TypeError(f"{name} has dtype {A.dtype}; numeric differentiation needs float64.{why}"
                        f" Fix: {name} = {name}.astype(np.float64)")
    check_nonempty(A, name)
    check_finite(A, name)
    return A


def real_array(x, name="array", allow_empty=False):
    """x as a float64 ndarray (a new copy: the caller's array is never written); refuses what has no real value.

    Accepts arrays and nested lists of ints or floats.  Refuses None, bool, complex, strings and objects.
    """
    if type(x) is np.ndarray and x.dtype == np.float64 and (x.size or allow_empty):  # the common case, fast
        check_finite(x, name)
        return x.copy()
    if x is None:
        raise TypeError(f"{name} is None; pass a numpy array (did a function forget to `return` it?)")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} is a string ({x!r:.40}); pass a numpy array of numbers")
    try:
        arr = np.array(x)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} is not a rectangular array of numbers ({err}); give every row the same length")
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(f"{name} is a bool array; a gradient needs numbers. Use {name}.astype(np.float64) if you"
                        f" really mean 0/1 values")
    if kind == "c":
        raise TypeError(f"{name} is complex ({arr.dtype}); helpers work with real arrays: check the real and"
                        f" imaginary parts separately")
    if kind not in "iuf":
        raise TypeError(f"{name} has dtype {arr.dtype} (from {type(x).__name__}); pass an array of real numbers")
    arr = arr.astype(np.float64)  # a copy, also when x was already float64 (np.array copied it)
    if not allow_empty:
        check_nonempty(arr, name)
    check_finite(arr, name)
    return arr


def check_nonempty(A, name="A"):
    if A.size == 0:
        raise ValueError(f"{name} has shape {A.shape} with a zero-size dimension; every dimension must be at least 1")


def check_finite(A, name="A"):
    if A.dtype.kind == "f" and np.isfinite(A.sum()):
        return  # a finite sum has no NaN or inf among its terms (an overflowing sum falls through to the scan)
    bad = ~np.isfinite(A)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if np.ndim(bad) else ()
        raise ValueError(f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or inf), the first at index {first}"
                         f" = {A[first]}; check how {name} was computed (overflow in exp? a division by zero?)")


def scalar(value, what="f(A)"):
    """Return value as a Python float; raise if it is not one finite real float64-or-better scalar.

    Refuses None (a missing `return`), strings, bools, ints (int(loss) or round() removes what changes with A,
    so the gradient would read 0), complex numbers and float32/float16 (too coarse for central differences).
    """
    if type(value) is float or type(value) is np.float64:  # the common case, fast
        if np.isfinite(value):
            return float(value)
    if value is None:
        raise TypeError(f"{what} returned None; did you forget `return` in your function?")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} returned the string {value!r:.40}; a loss must be a number")
    if np.ndim(value) != 0:
        shape = np.shape(value)
        raise ValueError(f"{what} must return a scalar loss, got an array of shape {shape};"
                         f" reduce it to one number, e.g. with .sum()")
    kind = np.asarray(value).dtype.kind
    if isinstance(value, (bool, np.bool_)) or kind == "b":
        raise TypeError(f"{what} returned a bool ({value}); a loss must be a float (a comparison has no gradient)")
    if isinstance(value, numbers.Integral) or kind in "iu":
        raise TypeError(f"{what} returned an integer ({value}); a loss must be a float: int(...) or round() throws"
                        f" away exactly the small changes central differences measure, so the gradient would read 0")
    if isinstance(value, complex) or kind == "c":
        raise TypeError(f"{what} returned a complex number ({value}); a loss must be real (use abs()**2 or .real)")
    if kind != "f":
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"{what} returned {type(value).__name__} {value!r:.40}, not a number; return a float")
    elif np.asarray(value).dtype.itemsize < 8:
        raise TypeError(f"{what} returned a {np.asarray(value).dtype} scalar; compute the loss in float64"
                        f" (float32 resolves ~1e-7, so differences over h = 1e-6 would be noise): e.g."
                        f" return float(np.sum(A.astype(np.float64) ** 2))")
    value = float(value)
    if not np.isfinite(value):
        where = "within h of A (move A away from where the loss is undefined)" if "moved by" in what else \
            "at the point being checked"
        raise ValueError(f"{what} returned {value}; the loss must be finite {where}")
    return value


def whole_number(v, name, minimum=1, maximum=MAX_ARRAY_ENTRIES):
    """v as an int if it is a whole number in [minimum, maximum] (3 and 3.0 are fine; 2.5, nan, None, True, '3'
    are not).  The default maximum is a size no array a helper allocates can have along one axis."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a whole number >= {minimum}, got {v!r} ({type(v).__name__})")
    if not _whole(v) or v < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {v!r}")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name} = {_big(v)} is too large: at most {maximum:,} (an array with {_big(v)} entries"
                         f" along one axis would not fit in memory); use a smaller {name}")
    return int(v)


def _big(v):
    """A whole number for a message: 12,345 or, above a million, about 1e+30 (even beyond float range)."""
    v = int(v)
    return f"{v:,}" if abs(v) < 10**6 else f"about 1e+{len(str(abs(v))) - 1}"


def _whole(v):
    """v (a real number) is finite and whole; Python ints of any size are (np.isfinite refuses ints above 2**64)."""
    if isinstance(v, numbers.Integral):
        return True
    if isinstance(v, numbers.Rational):  # a Fraction: always finite (np.isfinite refuses it)
        return v.denominator == 1
    return bool(np.isfinite(float(v))) and int(v) == v


def seed_value(seed):
    """A seed for np.random.default_rng: a whole number >= 0."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Real):
        raise TypeError(f"seed must be a whole number >= 0 (e.g. 0 or 42), got {seed!r} ({type(seed).__name__})")
    if not _whole(seed) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0 (e.g. 0 or 42), got {seed!r}")
    return int(seed)  # any size: np.random.default_rng accepts huge whole numbers


def step_size(h, strict=True):
    """h as a float if it is one positive finite number; outside H_RANGE refuse (strict) or warn, with the reason.

    Not strict (the raw numerical_* tools, which a learner may use to explore h): warn inside H_LIMITS, refuse
    outside them.
    """
    if isinstance(h, (bool, np.bool_)) or not isinstance(h, numbers.Real):
        shape = f" of shape {np.shape(h)}" if isinstance(h, np.ndarray) else ""
        raise TypeError(f"h must be one positive number such as 1e-6, got {type(h).__name__}{shape} {h!r:.40}")
    h = _as_float(h, "h")
    if not np.isfinite(h) or h <= 0:
        why = "; with h = 0 the difference quotient is 0/0" if h == 0 else ""
        raise ValueError(f"h must be a positive finite number such as 1e-6, got {h}{why}")
    lo, hi = H_RANGE
    if lo <= h <= hi:
        return h
    why = (f"h = {h:g} is below {lo:g}: round-off in f, about eps·|f|/h = {EPS / h:.1e}·|f|, would swamp the"
           f" difference quotient" if h < lo else
           f"h = {h:g} is above {hi:g}: the truncation error of central differences, about h²·|f'''|/6 ="
           f" {h * h / 6:.1e}·|f'''|, would exceed the tolerance")
    if strict or not H_LIMITS[0] <= h <= H_LIMITS[1]:
        raise ValueError(f"{why}; use the default h = 1e-6 (anything in [{lo:g}, {hi:g}] works for float64)")
    warnings.warn(f"{why}; the default h = 1e-6 is the sensible choice for float64", stacklevel=3)
    return h


def _as_float(v, name):
    """float(v), refusing a whole number too large for a float (float(10**400) overflows) with a clear error."""
    try:
        return float(v)
    except OverflowError:
        raise ValueError(f"{name} = {_big(v)} is too large for a float64 number; {name} must be a finite number")


def check_work(evaluations, what, instead):
    """Refuse an entry-by-entry loop that needs more than MAX_EVALUATIONS evaluations, before it starts."""
    if evaluations > MAX_EVALUATIONS:
        raise ValueError(f"{what} needs {evaluations:,} evaluations (cap {MAX_EVALUATIONS:,}); {instead}")


def check_bytes(n_bytes, what, instead, cap=MAX_JACOBIAN_BYTES):
    """Refuse an allocation above cap bytes, before it happens."""
    if n_bytes > cap:
        raise ValueError(f"{what} would need {_size(n_bytes)} of memory (cap {_size(cap)}); {instead}")


def _size(n_bytes):
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}"
    return f"{n_bytes:.0f} bytes"


def same_shape(grad, A, grad_name="grad", name="A"):
    """Raise unless the gradient has exactly the shape of what it differentiates."""
    if isinstance(grad, (str, bytes)):
        raise TypeError(f"{grad_name} is a string ({grad!r:.40}); pass the gradient itself, an array of shape"
                        f" {np.shape(A)}")
    if np.shape(grad) != np.shape(A):
        hint = " (is it transposed?)" if np.shape(grad) == np.shape(A)[::-1] else ""
        raise ValueError(f"{grad_name} has shape {np.shape(grad)} but {name} has shape {np.shape(A)};"
                         f" a gradient has the shape of what it differentiates{hint}")


def check_convention(convention):
    if not isinstance(convention, str) or convention not in ("WX", "XW"):
        raise ValueError(f"convention must be 'WX' (D = W X) or 'XW' (D = X W), got {convention!r}")
    return convention


def matmul_shapes(W, X, convention="WX"):
    """Check W and X fit the convention and return (H, m, n).

    convention "WX": W (H, m), X (m, n), D = W X (H, n).  "XW": X (n, m), W (m, H), D = X W (n, H).
    """
    check_convention(convention)
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
