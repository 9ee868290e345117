"""Exercise checker: calls the learner's function on inputs of its own and says what is right or wrong.

    check(name, fn)   -> ExerciseResult (truthy only when fn is right on every probe)
    hint(name)        -> the next of the exercise's graded hints (hint(name, 2): a given level;
                         reset_hints(name) starts again)

How an answer is probed.  Every exercise is called, by position, on six inputs (`PROBES`): three with
distinct sizes (H, m, n and a hidden width h all different within a probe, and each one changing from
one probe to the next), an edge probe with H = 1, one with n = 1, and a square one (H = m = n) where
every arrangement of the operands fits and only the values tell a right formula from a wrong one.
Index arguments (i, j, c) are drawn afresh for each probe and differ from each other where the sizes
allow.  Each call gets its own copies of the inputs; the truth is computed on other copies.

"Correct" means right on every probe (float32 answers, or float64 ones holding only float32 values, at
float32 tolerance).  Otherwise the checker names a mistake only when that mistake explains the answer on
every probe where the answer is wrong (a planted variant, a sign, a constant factor, a mean over one of
the exercise's own sizes, a transposed result, all zeros, round-off) and says on which inputs it is wrong
when it is right on others; failing that it says where the answer differs (which probe, which rows) or,
for one-number answers, how the answer behaves when one size or index changes.  Messages never contain
an expected value or the solution's formula, use the learner's own parameter names, and point only to
notebooks up to the exercise's own.  No probe's right answer is all zeros unless the exercise forces it.
A shape error raised inside the learner's function (a product, np.einsum, filling an array) is told as the
shapes that do not fit; an integer answer where the right one has fractions is named as such; a loop bound is
guessed only for a prefix or suffix of rows left at 0; an array read from outside the function is pointed out.

Adding an exercise (see exercise_bank.py for many examples):

    register("13-name", solution=lambda A, B: ...,          # the truth, same signature as the learner's
             inputs=lambda s, rng: dict(A=rand(rng, s.H, s.m), B=...),   # in the learner's argument order
             topic=("13", "A section title"),                # where the formula is derived
             mistakes=[Mistake("label", lambda A, B: ..., "what went wrong", ("13", "Section"))],
             hints=["first nudge", "a stronger one"])        # the solution notebook is added as last hint
"""
import ast
import dis
from dataclasses import dataclass, field, replace
from fractions import Fraction
from decimal import Decimal
import inspect
import re
import textwrap

import numpy as np

NOT_ATTEMPTED = "not attempted yet"
RTOL, ATOL = 1e-9, 1e-10  # float64 answers: |yours - right| <= RTOL |right| + ATOL max(1, max |right|)
RTOL32, ATOL32 = 1e-4, 1e-5  # answers computed in float32
NEAR = 1e-4  # wrong at float64 tolerance but within this (relative to the entries' size): round-off, not structure
WIDTH = 88  # plain-text feedback wraps at word boundaries


@dataclass(frozen=True)
class Sizes:
    """One probe: sizes H (outputs), m (features), n (samples), h (a hidden width) and indices
    i (a row of D, < H), j (a sample, < n), c (a feature, < m)."""
    H: int
    m: int
    n: int
    h: int
    i: int
    j: int
    c: int
    label: str
    seed: int


def _sizes(H, m, n, h, i, j, c, label, seed):
    return Sizes(H, m, n, h, i, j, c, label, seed)


# distinct sizes (all nine of the first three probes differ), the two edges, the square case
PROBES = (
    _sizes(3, 5, 7, 4, i=1, j=4, c=2, label="distinct sizes", seed=11),
    _sizes(6, 4, 9, 10, i=4, j=2, c=3, label="distinct sizes", seed=12),
    _sizes(8, 10, 11, 5, i=6, j=9, c=0, label="distinct sizes", seed=13),
    _sizes(1, 3, 5, 4, i=0, j=3, c=1, label="H = 1", seed=14),
    _sizes(5, 6, 1, 3, i=2, j=0, c=5, label="n = 1", seed=15),
    _sizes(4, 4, 4, 4, i=3, j=1, c=2, label="square, H = m = n", seed=16),
)
WORDS = {"H": "H (the number of outputs)", "m": "m (the number of features)", "n": "n (the number of samples)",
         "h": "h (the hidden width)", "i": "i", "j": "j", "c": "c"}


def rand(rng, *shape):
    """Standard-normal float64 array of the given shape."""
    return rng.standard_normal(shape)


_TEX = {r"\partial": "∂", r"\top": "ᵀ", r"\sum": "Σ", r"\times": "×", r"\cdot": "·", r"\,": " ", r"\ ": " "}


def plain(tex):
    """A section title without TeX, for plain-text feedback: "Every path from $W_{dc}$ to $L$" -> "... W_dc to L"."""
    text = tex.replace("$", "")
    for macro, char in _TEX.items():
        text = text.replace(macro, char)
    text = text.replace("^ᵀ", "ᵀ")
    text = re.sub(r"\\(?:mathbf|mathrm|text|operatorname|boldsymbol)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", text)
    return re.sub(r"\\([A-Za-z]+)", r"\1", text)


def where(notebook, section):
    return f"notebook {notebook}, section “{plain(section)}”"


def wrap(text, indent=""):
    """Plain text wrapped at word boundaries to WIDTH columns; a shape such as (3, 5) stays on one line."""
    kept = re.sub(r"\([\d, ]*\)", lambda m: m.group(0).replace(" ", "\u00a0"), text)
    filled = textwrap.fill(kept, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
    return filled.replace("\u00a0", " ")


@dataclass
class Mistake:
    """A known wrong answer: `wrong` has the learner's signature; `see` = (notebook number, section title);
    `says`: the words that tell this message from the exercise's other mistakes' (pinned by the tests)."""
    label: str
    wrong: object
    message: str
    see: tuple = ()
    says: tuple = ()


@dataclass
class Exercise:
    name: str
    solution: object
    inputs: object  # (Sizes, rng) -> dict of arguments, in the learner's positional order
    mistakes: list
    topic: tuple  # (notebook, section) where the exercise's formula is derived
    hints: list
    forbid: tuple  # "products" (@, np.dot, np.einsum, ...) and/or names such as "numerical_jacobian"
    forbid_reason: str
    vary: tuple  # Sizes fields varied one at a time for behaviour feedback on one-number answers
    see: dict  # overrides the pointer of a generic diagnosis: "mean", "shape", "transposed", ...
    notebook: str
    kind: str = "array"  # "array", "number" (one number) or "shape" (a tuple of sizes)
    probes: tuple = PROBES  # legacy exercises (fixed input dicts) have their own
    words: dict = field(default_factory=dict)  # "H" -> "q (the number of queries)": the exercise's own sizes
    original: object = None  # find-the-bug exercises: the function as handed out (untouched = not attempted)
    rename: dict = field(default_factory=dict)  # per check: the exercise's argument names -> the learner's

    def probe_args(self, s):
        return self.inputs(s, np.random.default_rng(s.seed))


@dataclass
class ExerciseResult:
    name: str
    status: str  # "correct", NOT_ATTEMPTED, or a short diagnosis such as "sign slip"
    message: str = ""

    def __bool__(self):
        return self.status == "correct"

    def __repr__(self):
        return wrap(f"{self.name}: {self.status}" + (f": {self.message}" if self.message else ""), "  ")

    __str__ = __repr__


EXERCISES = {}
NOTEBOOKS = {}  # "06" -> "06-matrix-form": where hints find the solution notebook


def register(name, solution, inputs, topic, mistakes=(), hints=(), forbid=(), forbid_reason="", vary=None,
             see=None, notebook=None, operands=(), words=None, original=None):
    """Add an exercise.

    solution(*args)       the truth, with the learner's signature (it is called by position, as theirs is)
    inputs(sizes, rng)    the arguments as a dict in the learner's order; sizes is a Sizes (H, m, n, h, i, j, c)
    topic                 (notebook number, section title) where the formula is derived: generic diagnoses
                          (sign, factor, transpose ...) point there
    mistakes              [Mistake(label, wrong, message, (notebook, section))]: named when `wrong` explains
                          the answer on every probe where it is wrong
    hints                 graded hints, mildest first (at least two); the solution notebook is added as the last
    forbid, forbid_reason "products" (@, np.dot, np.einsum, ...) and/or names such as "numerical_jacobian" the
                          exercise rules out, and the exercise's own words for it ("without `@`")
    vary                  one-number answers: Sizes fields changed one at a time for behaviour feedback, each a
                          name ("H") or (field, word) such as ("i", "d"); default H, m, n if they are arguments,
                          else the index arguments
    see                   {"mean" | "shape" | "square" | "zeros" | "sign" | "factor" | "transposed": (nb, section)}
                          to point a generic diagnosis elsewhere than `topic`
    notebook              "13-title" when NOTEBOOKS has no entry for the number (hints find it otherwise)
    words                 the exercise's own names for the sizes it has, e.g. {"H": "q (the number of
                          queries)"}; sizes its inputs do not depend on are never named
    original              find-the-bug exercises: the function as handed out; called unchanged, it is
                          "not attempted yet" (no diagnosis)

    The earlier form register(name, solution, probes, variants, operands=...) still works, with fixed probes.
    """
    number = name.split("-")[0]
    notebook = notebook or NOTEBOOKS.get(number, number)
    if isinstance(topic, dict):  # the earlier form register(name, solution, probes, variants, operands=...)
        return _register_legacy(name, solution, inputs, topic, notebook)
    ex = Exercise(name, solution, inputs, list(mistakes), tuple(topic), list(hints), tuple(forbid), forbid_reason,
                  (), dict(see or {}), notebook, original=original)
    first = ex.probe_args(ex.probes[0])
    args = list(first)
    raw = solution(*first.values())
    ex.kind = "shape" if isinstance(raw, tuple) else ("number" if np.ndim(raw) == 0 else "array")
    ex.words = {d: (words or {}).get(d, WORDS[d]) for d in _own_sizes(ex)}
    ex.probes = tuple(_nonzero_seed(ex, s) for s in ex.probes)
    if vary is None:
        vary = tuple(a for a in ("H", "m", "n") if a in args) or tuple(a for a in ("i", "j", "c") if a in args)
    ex.vary = tuple(v if isinstance(v, tuple) else (v, ex.words.get(v, WORDS[v])) for v in vary)
    EXERCISES[name] = ex
    return ex


def _signature(args):
    return tuple(np.shape(v) if isinstance(v, np.ndarray) else v for v in args.values())


def _own_sizes(ex):
    """The sizes (H, m, n, h) the exercise's inputs depend on: only these are ever named in its feedback."""
    s = ex.probes[0]
    base = _signature(ex.probe_args(s))
    return [d for d in ("H", "m", "n", "h") if _signature(ex.probe_args(replace(s, **{d: getattr(s, d) + 2}))) != base]


def _nonzero_seed(ex, s):
    """The probe with a seed whose right answer is not all zeros (a zero truth cannot tell any zero-returning
    answer apart), unless every seed tried gives zeros: then the exercise is about that case."""
    for seed in range(s.seed, s.seed + 1000 * 20, 1000):
        t = replace(s, seed=seed)
        if np.any(_truth(ex, ex.probe_args(t))):
            return t
    return s


def _letter(ex, dim):
    """The exercise's own letter for a size or index ("H" -> "q"), in the learner's own parameter names."""
    text = ex.words.get(dim, WORDS.get(dim, dim)).split()[0]
    return ex.rename.get(text, text)


def _word(ex, dim):
    word = ex.words.get(dim, WORDS.get(dim, dim))
    first, _, rest = word.partition(" ")
    return ex.rename.get(first, first) + (" " + rest if rest else "")


def _label(ex, s):
    """A probe's label in the exercise's own sizes: "distinct sizes", "q = 1", "square: all sizes equal"."""
    if s.label.startswith("square"):
        return "square: all sizes equal"
    if s.label in ("H = 1", "n = 1"):
        dim = s.label[0]
        return f"{_letter(ex, dim)} = 1" if dim in ex.words else "an edge case"
    return s.label


def _register_legacy(name, solution, probes, variants, notebook):
    """Fixed input dicts and {label: (wrong, message)}: kept working, but with only those probes, no pointers and
    no behaviour feedback.  Prefer the form above."""
    fixed = probes()
    sizes = []
    for k, args in enumerate(fixed):
        dims = {d for v in args.values() if isinstance(v, np.ndarray) for d in v.shape if d > 1}
        dims |= {v for key, v in args.items() if key in ("H", "m", "n") and not dims}
        H, m, n = (args.get(key, 0) for key in ("H", "m", "n"))
        label = "square, H = m = n" if len(dims) <= 1 else "distinct sizes"
        sizes.append(Sizes(H, m, n, 0, 0, 0, 0, label, k))
    ex = Exercise(name, solution, lambda s, rng: fixed[s.seed], [Mistake(label, wrong, message) for label, (wrong,
                  message) in variants.items()], (), [], (), "", (), {}, notebook, probes=tuple(sizes))
    raw = solution(*fixed[0].values())
    ex.kind = "shape" if isinstance(raw, tuple) else ("number" if np.ndim(raw) == 0 else "array")
    EXERCISES[name] = ex
    return ex


# ---------------------------------------------------------------------------------------------------------
# Running the learner's function

class _Reply:
    """One call's outcome: `value` (normalized), or `error`, or `problem` (None, a string, complex ...)."""

    def __init__(self, value=None, error=None, problem=None, low_precision=False, mutated=(), integer=False):
        self.value, self.error, self.problem = value, error, problem
        self.low_precision, self.mutated, self.integer = low_precision, tuple(mutated), integer

    @property
    def usable(self):
        return self.error is None and self.problem is None


def _copy(v):
    return v.copy() if isinstance(v, np.ndarray) else v


def _normalize(out):
    """A real float64 array from any natural form of a number, list, tuple or array; else a problem text."""
    if out is None or out is Ellipsis:
        return None, "None"
    if isinstance(out, (str, bytes)):
        return None, "a string"
    if isinstance(out, (bool, np.bool_)):
        return None, "True/False"
    if isinstance(out, (Fraction, Decimal)):
        out = float(out)
    several = (f"{len(out)} values (a `return a, b`?): return the answer alone" if isinstance(out, tuple)
               and len(out) > 1 and (len({np.shape(v) for v in out}) > 1 or any(v is None for v in out)) else "")
    try:
        arr = np.asarray(out)
    except (ValueError, TypeError):
        return None, several or "not a rectangular array (rows of different lengths?)"
    if arr.dtype == object:
        try:
            arr = np.array([complex(v) if isinstance(v, complex) else float(v) for v in arr.ravel()]).reshape(arr.shape)
        except (TypeError, ValueError):
            kinds = sorted({type(v).__name__ for v in arr.ravel()})
            return None, several or f"not made of numbers (it holds {', '.join(kinds)})"
    if arr.dtype.kind in "US":
        return None, "made of strings"
    if arr.dtype.kind == "b":
        return None, "an array of True/False"
    if arr.dtype.kind == "c":
        return None, "complex"
    if arr.dtype.kind not in "iuf":
        return None, f"of dtype {arr.dtype}, not numbers"
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 4:
        return None, f"in {arr.dtype} (about 3 significant digits): too coarse to check; compute in float64"
    value = np.array(arr, dtype=np.float64)
    # float32 values, whether returned as float32 or cast back to float64 (every entry exactly a float32, and
    # not merely whole numbers), are held to float32 tolerance alike
    low = arr.dtype.kind == "f" and (arr.dtype.itemsize < 8 or _float32_values(value))
    return (value, low, arr.dtype.kind in "iu"), None


def _float32_values(value):
    with np.errstate(over="ignore", invalid="ignore"):
        return (value.size > 0 and bool(np.all(value.astype(np.float32).astype(np.float64) == value))
                and not np.all(value == np.round(value)))


def _call(fn, args):
    copies = {k: _copy(v) for k, v in args.items()}
    try:
        out = fn(*copies.values())
    except Exception as exc:  # noqa: BLE001 - the learner's code: its error is part of the diagnosis
        return _Reply(error=exc)
    mutated = [k for k, v in args.items() if isinstance(v, np.ndarray)
               and not (isinstance(copies[k], np.ndarray) and copies[k].shape == v.shape
                        and np.array_equal(copies[k], v, equal_nan=True))]
    norm, problem = _normalize(out)
    if problem:
        return _Reply(problem=problem, mutated=mutated)
    value, low, integer = norm
    if not np.all(np.isfinite(value)):
        return _Reply(problem="not finite (it contains nan or inf)", mutated=mutated)
    return _Reply(value=value, low_precision=low, mutated=mutated, integer=integer)


def _truth(ex, args):
    value, problem = _normalize(ex.solution(*{k: _copy(v) for k, v in args.items()}.values()))
    if problem:
        raise ValueError(f"{ex.name}: the solution's answer is {problem}")
    return value[0]


# ---------------------------------------------------------------------------------------------------------
# Comparing

def _fit(got, want):
    """got reshaped to want's shape where that is only a matter of a one-number answer's packaging."""
    if want.ndim == 0 and got.size == 1:
        return got.reshape(())
    return got


def _close(got, want, low=False):
    got = _fit(got, want)
    if got.shape != want.shape:
        return False
    rtol, atol = (RTOL32, ATOL32) if low else (RTOL, ATOL)
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    return bool(np.all(np.abs(got - want) <= rtol * np.abs(want) + atol * scale))


def _factor(got, want, low=False):
    """k with got = k want (want not all zero), else None."""
    got = _fit(got, want)
    if got.shape != want.shape or not np.any(want):
        return None
    k = float(np.vdot(got, want) / np.vdot(want, want))
    return k if _close(got, k * want, low) else None


# ---------------------------------------------------------------------------------------------------------
# Forbidden operations: run once on arrays that record which product functions touch them

_PRODUCT_UFUNCS = {"matmul": "`@` (matmul)", "vecdot": "np.vecdot", "matvec": "np.matvec", "vecmat": "np.vecmat"}
_PRODUCT_FUNCS = {"dot": "np.dot", "vdot": "np.vdot", "inner": "np.inner", "tensordot": "np.tensordot",
                  "einsum": "np.einsum", "multi_dot": "np.linalg.multi_dot", "outer": None, "kron": None}


class _Tracked(np.ndarray):
    log = set()
    failed = None  # (operation, operand shapes) of the first operation that raised a shape error

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc.__name__ in _PRODUCT_UFUNCS:
            _Tracked.log.add(_PRODUCT_UFUNCS[ufunc.__name__])
        inputs = tuple(x.view(np.ndarray) if isinstance(x, _Tracked) else x for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _Tracked) else o for o in kwargs["out"])
        try:
            return _track(getattr(ufunc, method)(*inputs, **kwargs))
        except ValueError:
            _Tracked.failed = _Tracked.failed or (ufunc.__name__, [np.shape(x) for x in inputs])
            raise

    def __array_function__(self, func, types, args, kwargs):
        label = _PRODUCT_FUNCS.get(func.__name__)
        if label:
            _Tracked.log.add(label)
        try:
            return super().__array_function__(func, types, args, kwargs)
        except ValueError:
            shapes = [np.shape(a) for a in args if isinstance(a, np.ndarray)]
            _Tracked.failed = _Tracked.failed or (func.__name__, shapes)
            raise

    def dot(self, *args, **kwargs):
        _Tracked.log.add("the .dot method")
        try:
            return _track(np.ndarray.dot(self.view(np.ndarray), *args, **kwargs))
        except ValueError:
            _Tracked.failed = _Tracked.failed or ("dot", [self.shape] + [np.shape(a) for a in args[:1]])
            raise


def _track(result):
    if isinstance(result, tuple):
        return tuple(_track(r) for r in result)
    if type(result) is np.ndarray and result.ndim > 0:
        return result.view(_Tracked)
    return result


def _names_used(fn):
    names, todo = set(), [getattr(fn, "__code__", None)]
    while todo:
        code = todo.pop()
        if code is None:
            continue
        names.update(code.co_names)
        todo.extend(c for c in code.co_consts if inspect.iscode(c))
    return names


def _uses_matmul_operator(fn):
    """The `@` operator anywhere in fn's code (nested functions included)."""
    todo = [getattr(fn, "__code__", None)]
    while todo:
        code = todo.pop()
        if code is None:
            continue
        if any(i.opname in ("BINARY_MATRIX_MULTIPLY", "INPLACE_MATRIX_MULTIPLY")
               or i.opname == "BINARY_OP" and i.argrepr in ("@", "@=") for i in dis.get_instructions(code)):
            return True
        todo.extend(c for c in code.co_consts if inspect.iscode(c))
    return False


def _forbidden_used(ex, fn):
    """What the exercise rules out that fn used, as readable names (empty if nothing)."""
    used = set()
    if "products" in ex.forbid:
        args = {k: (v.copy().view(_Tracked) if isinstance(v, np.ndarray) else v)
                for k, v in ex.probe_args(ex.probes[0]).items()}
        _Tracked.log = set()
        try:
            fn(*args.values())
        except Exception:  # noqa: BLE001 - errors are reported by the main runs
            pass
        used |= _Tracked.log
        _Tracked.log = set()
        names = _names_used(fn)
        used |= {label for name, label in {**_PRODUCT_FUNCS, **_PRODUCT_UFUNCS}.items() if label and name in names}
        if _uses_matmul_operator(fn):  # also on plain copies (np.asarray(W) @ ...), which are not tracked
            used.add(_PRODUCT_UFUNCS["matmul"])
    used |= {f"{name}" for name in ex.forbid if name != "products" and name in _names_used(fn)}
    return sorted(used)


# ---------------------------------------------------------------------------------------------------------
# Diagnosis

@dataclass(eq=False)
class _Probe:
    sizes: Sizes
    args: dict
    truth: np.ndarray
    reply: _Reply
    ok: bool = False
    extra: dict = field(default_factory=dict)


def _describe_args(args, rename=None):
    rename = rename or {}
    return ", ".join(f"{rename.get(k, k)} {v.shape}" if isinstance(v, np.ndarray) else
                     f"{rename.get(k, k)} = {v:.3g}" if isinstance(v, float) else f"{rename.get(k, k)} = {v}"
                     for k, v in args.items())


def _on(ex, p):
    return f"on the input {_describe_args(p.args, ex.rename)} ({_label(ex, p.sizes)})"


def _scope(ex, probes, wrong):
    """Where a diagnosis holds: "on every input", or exactly the inputs where the answer is wrong."""
    if len(wrong) == len(probes):
        return "on every input"
    right = [p for p in probes if p.ok]
    if len(wrong) == 1:
        return f"{_on(ex, wrong[0])}, and right on the other {len(right)}"
    if len(right) == 1:
        return f"on every input except {_on(ex, right[0])[3:]}, where it is right"
    listed = "; ".join(f"{_describe_args(p.args, ex.rename)} ({_label(ex, p.sizes)})" for p in wrong)
    return f"on {len(wrong)} of the {len(probes)} inputs ({listed}), and right on the other {len(right)}"


def _number(notebook):
    head = str(notebook).split("-")[0]
    return int(head) if head.isdigit() else None


def _reached(ex, see):
    """A pointer only to a notebook the learner has reached: up to the exercise's own."""
    own, theirs = _number(ex.name), _number(see[0])
    return own is None or theirs is None or theirs <= own


def _pointer(ex, key, default=None):
    for see in (ex.see.get(key), default, ex.topic):
        if see and _reached(ex, see):
            return f" See {where(*see)}."
    return ""


def _renamed(ex, text):
    """The exercise's index and size arguments (d, j, H ...) under the learner's own names."""
    ints = {k: v for k, v in ex.rename.items() if k != v}
    if not ints:
        return text
    first = ex.probe_args(ex.probes[0])
    ints = {k: v for k, v in ints.items() if isinstance(first.get(k), (int, np.integer))}  # arrays keep the math's
    if not ints:
        return text
    return re.sub(r"(?<![\w.])(" + "|".join(map(re.escape, ints)) + r")(?![\w(\[])", lambda m: ints[m.group(1)],
                  text)


def _same_reply(a, b):
    """Two replies agree: the same kind of error, or the same values and shape."""
    if a.error is not None or b.error is not None:
        return a.error is not None and b.error is not None and type(a.error) is type(b.error)
    if not (a.usable and b.usable):
        return False
    return a.value.shape == b.value.shape and _close(a.value, b.value, a.low_precision)


def _sentence(text):
    return text if text.endswith((".", "?", "!")) else text + "."


def _named_mistake(ex, probes, wrong):
    """The first planted mistake that agrees with the answer on every wrong probe, by value on at least one
    (two functions that merely raise the same kind of error on some inputs are not the same mistake)."""
    for mistake in ex.mistakes:
        theirs = [_call(mistake.wrong, p.args) for p in wrong]
        if all(_same_reply(p.reply, t) for p, t in zip(wrong, theirs)) and any(t.usable for t in theirs):
            text = _sentence(_renamed(ex, mistake.message))
            if len(wrong) < len(probes):
                text += f" Your answer is wrong {_scope(ex, probes, wrong)}."
            if mistake.see and _reached(ex, mistake.see):
                text += f" See {where(*mistake.see)}."
            return mistake.label, text
    return None


def _size_candidates(ex):
    """(sizes on a probe, words): each of the exercise's own sizes, and each product of two of them."""
    dims = list(ex.words)
    out = [((d,), _word(ex, d)) for d in dims]
    for a, k in enumerate(dims):
        for b in dims[a + 1:]:
            what = lambda d: ex.words[d].partition("(")[2].rstrip(")") or d  # noqa: E731
            out.append(((k, b), f"{_letter(ex, k)}·{_letter(ex, b)} ({what(k)} times {what(b)})"))
    return out


def _generic_mistake(ex, probes, wrong, scalar):
    usable = [p for p in wrong if p.reply.usable]
    if len(usable) != len(wrong):
        return None
    vals = [(_fit(p.reply.value, p.truth), p.truth, p.sizes, p.reply.low_precision) for p in usable]
    scope = _scope(ex, probes, wrong)
    if not scalar and all(w.ndim == 2 and v.shape == w.T.shape and _close(v, w.T, low) for v, w, _, low in vals):
        return ("transposed result", f"entry (a, b) of yours belongs at (b, a), {scope}. Which index of the result"
                " is its row?" + _pointer(ex, "transposed"))
    if any(v.shape != w.shape for v, w, _, _ in vals):
        return None  # a shape mistake: never called zeros or a factor
    if all(not np.any(v) for v, _, _, _ in vals):
        integer = any(p.reply.integer for p in usable)
        return ("all zeros", ("your answer is 0 " if scalar else "every entry of your answer is 0 ") + scope + (
                ": an empty sum (a loop that never runs), or an integer division // that drops a fraction?"
                if scalar and integer else "." if scalar else
                ": does the loop body run, and does it add into the array you return?" + (
                    " Your array has an integer dtype, too: it drops every fraction." if integer else ""))
                + _pointer(ex, "zeros"))
    ks = [_factor(v, w, low) for v, w, _, low in vals]
    if any(k is None for k in ks):
        return None
    rtol = 1e-6 if any(low for *_, low in vals) else 1e-9
    if all(np.isclose(k, -1, rtol=rtol, atol=0) for k in ks):
        return "sign slip", f"your answer is exactly minus the right one {scope}." + _pointer(ex, "sign")
    counts = scalar and not any(isinstance(v, np.ndarray) for v in probes[0].args.values())
    for dims, words in () if counts else _size_candidates(ex):  # a count or fraction of sizes: behaviour instead
        sizes = [int(np.prod([getattr(s, d) for d in dims])) for _, _, s, _ in vals]
        for power, text in ((-1, "divided by"), (1, "multiplied by")):
            if len(set(sizes)) > 1 and all(np.isclose(k, s ** power, rtol=rtol, atol=0) for k, s in zip(ks, sizes)):
                label = "mean instead of sum" if power == -1 else "extra factor"
                return label, (f"your answer is the right one {text} {words} {scope}: "
                               + ("a division, or a mean, that the derivation does not have?" if power == -1 else
                                  "a sum where there should be a single term?") + _pointer(ex, "mean"))
    same = all(np.isclose(k, ks[0], rtol=rtol, atol=0) for k in ks)
    every = "on every input" if len(wrong) == len(probes) else f"on each input where it is wrong ({scope[3:]})"
    if same and abs(ks[0] - 1) < 1e-2:
        return ("slightly off", f"your answer is the right one times a constant factor close to 1, the same {every}:"
                " a rounded constant, or a computation in low precision?" + _pointer(ex, "factor"))
    if same and not np.isclose(ks[0], 0):
        size = "too large" if abs(ks[0]) > 1 else "too small"
        sign = " and of the opposite sign" if ks[0] < 0 else ""
        return ("constant factor", f"your answer is the right one times one and the same number {every}: it is"
                f" {size}{sign}. Look for a stray constant (a 2 or 1/2 from a square, a mean)."
                + _pointer(ex, "factor"))
    if scalar:
        return None
    letters = [_letter(ex, d) for d in ex.words]
    sizes = ", ".join(letters[:-1]) + f" or {letters[-1]}" if len(letters) > 1 else "".join(letters) or "a size"
    return ("size-dependent factor", f"your answer is a multiple of the right one {every}, but not the same multiple"
            f" on every one: a size ({sizes}) multiplied or divided where it should not be, or a sign that depends on"
            " the input?" + _pointer(ex, "factor"))


def _near_miss(ex, probes, wrong):
    """Round-off, not structure: wrong at float64 tolerance, yet within NEAR of the right one everywhere."""
    worst = 0.0
    for p in wrong:
        if not p.reply.usable or p.reply.low_precision:  # float32 answers are already held to float32 tolerance
            return None
        got, want = _fit(p.reply.value, p.truth), p.truth
        if got.shape != want.shape:
            return None
        scale = float(np.max(np.abs(want))) or 1.0
        worst = max(worst, float(np.max(np.abs(got - want))) / scale)
    if worst > NEAR:
        return None
    return ("close, not exact", f"your answer differs from the right one by at most about {worst:.0e} of its"
            f" largest entry {_scope(ex, probes, wrong)}: round-off size (a numerical derivative, or arithmetic in"
            " float32?), not a wrong formula. The check asks for the exact formula, right to float64 precision."
            + _pointer(ex, "topic"))


def _whole_numbers(ex, probes, wrong):
    """An integer answer where the right one has fractions (whatever else is wrong, the fractions are lost); an
    answer that is 0 wherever it is wrong is "all zeros" instead (an empty sum is the int 0 too)."""
    if all(p.reply.usable and not np.any(p.reply.value) for p in wrong):
        return None
    for p in wrong:
        if p.reply.usable and p.reply.integer and not np.all(p.truth == np.round(p.truth)):
            if ex.kind == "number":
                return ("whole numbers only", f"your answer is a whole number (of an integer type) {_on(ex, p)}, and"
                        " the right one has a fraction: does an int(...), a round(...) or an integer division //"
                        " drop it?")
            return ("whole numbers only", f"your answer has an integer dtype {_on(ex, p)}, and the right one has"
                    " fractions: was it built in an integer array (dtype=int, or np.zeros_like of an integer"
                    " input), which drops every fraction?")
    return None


def _shape_problem(ex, probes, wrong, kind):
    for p in wrong:
        if not p.reply.usable:
            continue
        got, want = _fit(p.reply.value, p.truth), p.truth
        if kind == "shape":
            if got.ndim != 1 or got.size != want.size:
                return ("wrong form", f"return the shape as a tuple of {want.size} whole numbers (rows, columns);"
                        f" yours has {got.size} entr{'y' if got.size == 1 else 'ies'}")
            if not np.all(got == np.round(got)) or np.any(got < 1):
                return "wrong form", "the entries of a shape are positive whole numbers (sizes)"
            continue
        if got.shape == want.shape:
            continue
        where_ = _on(ex, p)
        if kind == "number":
            return ("not one number", f"the answer asked for is a single value; yours has {got.size} entries (shape"
                    f" {got.shape}) {where_}." + _pointer(ex, "topic"))
        if np.squeeze(got).shape == np.squeeze(want).shape:
            same = _close(np.squeeze(got), np.squeeze(want), p.reply.low_precision)
            return ("wrong shape", f"{'the numbers are right but ' if same else ''}your answer has shape {got.shape}"
                    f" {where_}; the right one has shape {want.shape}"
                    + ("" if same else ", and the numbers differ too")
                    + ": an axis of length 1 dropped or added (keepdims)?"
                    + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
        if want.ndim == 2 and got.shape == want.shape[::-1]:
            text = "it has the transposed shape of the right one"
        else:
            text = f"the right one has shape {want.shape}"
        return ("wrong shape", f"your answer has shape {got.shape} {where_}; {text}. Which sizes must the result"
                " have, and which operand carries each?" + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
    return None


def _behaviour(ex, probe, answer):
    """One-number answers: change one size (or index) at a time and compare how yours and the right one move."""
    s0 = probe.sizes
    notes = []
    for dim, word in ex.vary:
        word = _renamed(ex, word)
        v0 = getattr(s0, dim)
        limit = {"i": s0.H, "j": s0.n, "c": getattr(s0, "m")}.get(dim)
        v1 = v0 + 3 if limit is None else next((v for v in range(limit) if v != v0 and v not in
                                                 (s0.i, s0.j, s0.c)), None)
        if v1 is None:
            continue
        s1 = replace(s0, **{dim: v1})
        args0, args1 = ex.probe_args(s0), ex.probe_args(s1)
        t0, t1 = _truth(ex, args0), _truth(ex, args1)
        r0, r1 = _call(answer, args0), _call(answer, args1)
        if not (r0.usable and r1.usable):
            continue
        if _fit(r0.value, t0).shape != t0.shape or _fit(r1.value, t1).shape != t1.shape:
            continue
        y0, y1 = _fit(r0.value, t0), _fit(r1.value, t1)
        for part in range(t0.size):
            a0, a1, b0, b1 = y0.flat[part], y1.flat[part], t0.flat[part], t1.flat[part]
            whose = "" if t0.size == 1 else f" (entry {part} of the {'shape' if ex.kind == 'shape' else 'answer'})"
            yours_moves = not np.isclose(a0, a1, rtol=RTOL, atol=0)
            right_moves = not np.isclose(b0, b1, rtol=RTOL, atol=0)
            if right_moves and not yours_moves:
                notes.append(f"your answer{whose} does not change when {word} changes, but the right one does")
            elif yours_moves and not right_moves:
                notes.append(f"your answer{whose} changes when {word} changes, but the right one does not")
            elif yours_moves and limit is None and (a1 > a0) != (b1 > b0):
                grows = "grows" if a1 > a0 else "shrinks"
                notes.append(f"when {word} grows, your answer{whose} {grows} but the right one "
                             f"{'shrinks' if grows == 'grows' else 'grows'}")
            elif yours_moves and limit is None and a0 * b0 > 0 and a1 * b1 > 0:
                ratio_yours, ratio_right = np.log(abs(a1 / a0)), np.log(abs(b1 / b0))
                if abs(ratio_yours - ratio_right) > 0.05 * abs(ratio_right):
                    pace = "faster" if abs(ratio_yours) > abs(ratio_right) else "more slowly"
                    move = "grows" if b1 > b0 else "shrinks"
                    notes.append(f"when {word} grows, your answer{whose} {move} {pace} than the right one")
    return notes


def _partial_pattern(ex, probes, wrong):
    right = [p for p in probes if p.ok]
    if not right or ex.kind != "array":
        return None
    square_right = any(p.sizes.label.startswith("square") for p in right)
    if square_right and all(not p.ok for p in probes if p.sizes.label.startswith("distinct")):
        scope = _scope(ex, probes, wrong)
        return ("right only when square", f"right on the input where all sizes are equal, wrong {scope}. A square"
                " shape hides a transposed operand, a wrongly paired index or a loop bound taken from the wrong"
                " size." + _pointer(ex, "square", ("06", "… and why it is not a proof")))
    if all(not p.sizes.label.startswith("distinct") for p in wrong):
        return ("wrong on an edge case", f"right on the inputs with distinct sizes, wrong {_scope(ex, probes, wrong)}:"
                " an axis of length 1 dropped or broadcast?")
    return None


def _misplaced(got, want, wrong_lines, axis, low):
    """True when the wrong rows (axis 0) or columns (axis 1) of `got` are the right ones' in other places."""
    take = (lambda a, r: a[r]) if axis == 0 else (lambda a, r: a[:, r])
    lines = list(wrong_lines)

    def place(k, used):
        if k == len(lines):
            return True
        for r in lines:
            if r != lines[k] and r not in used and _close(take(got, lines[k]), take(want, r), low):
                if place(k + 1, used | {r}):
                    return True
        return False
    return len(lines) > 1 and place(0, frozenset())


def _listed(lines, total, what):
    lines = [int(v) for v in lines]
    if len(lines) > 6:
        return f"{len(lines)} of the {total} {what}s"
    return f"{what}{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))} (of {total})"


def _where_it_differs(ex, probes, wrong):
    p = next(p for p in wrong if p.reply.usable)
    got, want = _fit(p.reply.value, p.truth), p.truth
    on = _on(ex, p)
    if ex.kind == "shape":
        return "does not match", f"your shape is not the right one {on}"
    if want.ndim == 0:
        return "does not match", f"your answer is not the right number {on}"
    tol = RTOL32 if p.reply.low_precision else RTOL
    bad = np.abs(got - want) > tol * np.abs(want) + ATOL * max(1.0, float(np.max(np.abs(want))))
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(got - want)), want.shape))
    text = f"{int(bad.sum())} of {want.size} entries differ {on}; the first at index {first}"
    text += "" if worst == first else f", the largest difference at index {worst}"
    if want.ndim != 2 or bad.sum() < 2:
        return "does not match", text
    for axis, what in ((0, "row"), (1, "column")):
        lines, total = np.flatnonzero(bad.any(axis=1 - axis)), bad.shape[axis]
        if _misplaced(got, want, lines, axis, p.reply.low_precision):
            return ("misplaced " + what + "s", f"your {what}s hold the right numbers, but {_listed(lines, total, what)}"
                    f" are in each other's places {on}: a wrong {what} index?")
    for axis, what in ((0, "row"), (1, "column")):
        lines, total = np.flatnonzero(bad.any(axis=1 - axis)), bad.shape[axis]
        if len(lines) == total:
            continue
        text += f"; only {_listed(lines, total, what)} {'are' if len(lines) > 1 else 'is'} wrong"
        untouched = not np.any(got[lines] if axis == 0 else got[:, lines])  # never written: still the zeros
        if untouched and list(lines) == list(range(len(lines))):
            text += f", and {'they hold' if len(lines) > 1 else 'it holds'} only zeros (a loop that starts late?)"
        elif untouched and list(lines) == list(range(total - len(lines), total)):
            text += f", and {'they hold' if len(lines) > 1 else 'it holds'} only zeros (a loop that stops early?)"
        break
    return "does not match", text


_CHAINED = {"matmul", "dot", "vdot", "inner", "tensordot", "multi_dot", "vecdot", "matvec", "vecmat"}


def _shape_error(ex, answer, p, others=0):
    """A shape error raised inside the learner's function, as the two shapes that do not fit, or None."""
    if not isinstance(p.reply.error, ValueError):
        return None
    args = {k: (v.copy().view(_Tracked) if isinstance(v, np.ndarray) else v) for k, v in p.args.items()}
    _Tracked.failed = None
    try:
        answer(*args.values())
    except Exception:  # noqa: BLE001 - the same error again, now with the operands' shapes recorded
        pass
    failed, _Tracked.failed = _Tracked.failed, None
    ran = f" It ran without error on {others} other input{'s' if others != 1 else ''}." if others else ""
    put = re.search(r"could not broadcast input array from shape \(([\d,]*)\) into shape \(([\d,]*)\)",
                    str(p.reply.error))
    if put and not failed:
        a, b = [tuple(int(v) for v in g.split(",") if v) for g in put.groups()]
        return ("raised a shape error", f"your function puts an array of shape {a} into a place of shape {b},"
                f" {_on(ex, p)}: is the array you fill made with the right shape, and is what you put there the"
                " right value?" + (" A missing or extra transpose?" if a == b[::-1] else "") + ran
                + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
    text = str(p.reply.error)
    core = re.search(r"matmul: Input operand 1 has a mismatch in its core dimension 0.*\(size (\d+) is different"
                     r" from (\d+)\)", text)
    dot = re.search(r"shapes \(([\d,]*)\) and \(([\d,]*)\) not aligned", text)
    if not failed and core:  # operands that no longer carry the inputs' marks (np.asarray(W).T @ ...)
        rows, cols = core.groups()
        return ("raised a shape error", f"a matrix product in your function does not chain, {_on(ex, p)}: its left"
                f" factor has {cols} columns and its right factor {rows} rows; a product needs them equal. A"
                " missing or extra transpose?" + ran + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
    if not failed and dot:
        failed = ("dot", [tuple(int(v) for v in g.split(",") if v) for g in dot.groups()])
    if failed and len(failed[1]) >= 2:
        op, (a, b) = failed[0], failed[1][:2]
    else:
        found = re.search(r"broadcast together with shapes \(([\d,]*)\) \(([\d,]*)\)", str(p.reply.error))
        if not found:
            return None
        op, (a, b) = "add", [tuple(int(v) for v in g.split(",") if v) for g in found.groups()]
    if op in _CHAINED:
        if len(a) != 2 or len(b) != 2:
            return None
        swap = len({a[0], a[1]} & {b[0], b[1]}) > 0
        return ("raised a shape error", f"these two shapes do not chain: {a} @ {b}, {_on(ex, p)}; a product needs"
                " the left factor's columns to match the right factor's rows" + (". A missing or extra transpose?"
                                                                                  if swap else ".")
                + ran + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
    if op == "einsum":
        listed = " and ".join(map(str, failed[1]))
        return ("raised a shape error", f"np.einsum cannot match your subscripts to the shapes {listed}, {_on(ex, p)}:"
                " a letter must stand for the same size in every operand it labels. An operand transposed, or its"
                " letters in the wrong order?" + ran + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))
    swap = len(a) == len(b) == 2 and a == b[::-1]
    return ("raised a shape error", f"these two shapes cannot be combined entry by entry: {a} and {b}, {_on(ex, p)}"
            + (". A missing or extra transpose?" if swap else ". An axis dropped, added or taken from the wrong"
               " operand?") + ran + _pointer(ex, "shape", ("06", "Shapes: a mnemonic")))


def _fingerprint(fn):
    """What a function does, without its name, docstring, comments and line numbers: its syntax tree (from its
    source, which Jupyter keeps for every cell), else its bytecode."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        code = getattr(fn, "__code__", None)
        return None if code is None else (code.co_code, code.co_names, code.co_varnames)
    if not isinstance(tree, (ast.FunctionDef, ast.Lambda)):
        return None
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return ast.dump(tree.args), [ast.dump(node) for node in body]


RENAMED = {}  # an exercise's earlier name -> its name now (old notebooks keep working)


def _exercise(name):
    name = RENAMED.get(name, name)
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {name!r}; known: {', '.join(sorted(EXERCISES))}")
    return EXERCISES[name]


def check(name, answer):
    """Call the learner's `answer` (by position) on the exercise's probes; say correct or what is wrong."""
    result = _check(_exercise(name), answer)
    result.name = name  # the name the learner used (an earlier name still answers, under that name)
    return result


def _check(ex, answer):
    name = ex.name
    if answer is None:
        return ExerciseResult(name, NOT_ATTEMPTED, "fill in the function above and run both cells again")
    if not callable(answer):
        return ExerciseResult(name, "not a function", "pass your function itself (its name, without calling it)")
    if ex.original is not None and _fingerprint(answer) is not None and _fingerprint(answer) == _fingerprint(
            ex.original):
        return ExerciseResult(name, NOT_ATTEMPTED, "this is still the function as given, bug included: find the"
                              " line that is wrong, fix it, and run the cell again")
    first = ex.probe_args(ex.probes[0])
    try:
        sig = inspect.signature(answer)
        sig.bind(*first.values())
    except TypeError:
        return ExerciseResult(name, "wrong arguments", f"the checker calls your function with {len(first)} arguments"
                              f" in this order: {', '.join(first)}; yours takes {sig}")
    except ValueError:
        sig = None  # no signature to inspect (a builtin): just call it
    if sig is not None:
        params = [q.name for q in sig.parameters.values() if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)]
        ex = replace(ex, rename=dict(zip(first, params)))
    probes = []
    for s in ex.probes:
        args = ex.probe_args(s)
        truth = _truth(ex, args)
        probes.append(_Probe(s, args, truth, _call(answer, args)))
    for p in probes:
        p.ok = p.reply.usable and _close(p.reply.value, p.truth, p.reply.low_precision)
    return _verdict(ex, answer, probes)


def _mutation_note(ex, probes):
    names = sorted({ex.rename.get(k, k) for p in probes for k in p.reply.mutated})
    return (f"your function modifies {' and '.join(names)} in place (an in-place operation such as"
            f" `+=`, `-=`, `[...] =` on an argument): the caller's array changes too; work on a copy") if names else ""


def _verdict(ex, answer, probes):
    name, kind = ex.name, ex.kind
    nones = [p for p in probes if p.reply.problem == "None"]
    if len(nones) == len(probes):
        return ExerciseResult(name, NOT_ATTEMPTED, "your function returns None: replace the placeholder")
    mutation = _mutation_note(ex, probes)
    if nones:
        return ExerciseResult(name, "returns None", f"on {len(nones)} of {len(probes)} inputs, e.g."
                              f" {_on(ex, nones[0])[3:]}, your function gives back nothing, and a value on the"
                              " others: does every path through it end in a return?")
    odd = next((p for p in probes if p.reply.problem), None)
    if odd is not None:
        problem = odd.reply.problem
        if problem == "complex":
            return ExerciseResult(name, "complex answer", "yours has an imaginary part; a derivative of a real"
                                  " function of real inputs is real. Where does it come from (a 1j, a square root of"
                                  " a negative value)?")
        asked = {"shape": "the shape itself, as a tuple of whole numbers", "number": "the value itself"}.get(
            kind, "the values themselves, as an array")
        what = {"a string": f"a string (text): return {asked}, not its text"}.get(problem)
        return ExerciseResult(name, "not a number", what or f"your answer is {problem}")
    if all(p.ok for p in probes):
        used = _forbidden_used(ex, answer)
        if used:
            return ExerciseResult(name, "right values, but not as asked",
                                  f"the exercise asks for {ex.forbid_reason}; your function uses {', '.join(used)}."
                                  + (" Write the sum yourself" if "products" in ex.forbid else " Build it yourself"))
        if mutation:
            return ExerciseResult(name, "changes its input", "right values, but " + mutation)
        return ExerciseResult(name, "correct")
    wrong = [p for p in probes if not p.ok]
    result = _diagnose(ex, answer, probes, wrong, kind)
    notes = [n for n in (mutation, _forbidden_note(ex, answer), _globals_note(answer)) if n]
    if notes:
        result.message += " Also: " + "; ".join(notes) + "."
    return result


def _globals_note(answer):
    """Arrays the function reads from outside itself (a notebook's W instead of its argument): the checker's
    inputs never reach them."""
    names = sorted(n for n in _names_used(answer)
                   if isinstance(getattr(answer, "__globals__", {}).get(n), np.ndarray))
    if not names:
        return ""
    return (f"your function reads {' and '.join(names)}, {'arrays' if len(names) > 1 else 'an array'} defined"
            " outside it, not given to it as an argument: the inputs the checker passes never reach"
            f" {'them' if len(names) > 1 else 'it'}")


def _forbidden_note(ex, answer):
    used = _forbidden_used(ex, answer)
    return f"the exercise asks for {ex.forbid_reason}, and your function uses {', '.join(used)}" if used else ""


def _diagnose(ex, answer, probes, wrong, kind):
    name = ex.name
    named = _named_mistake(ex, probes, wrong)
    if named:
        return ExerciseResult(name, *named)
    errors = [p for p in probes if p.reply.error is not None]
    if errors:
        p = errors[0]
        ran = len(probes) - len(errors)
        others = "" if not ran else f" (it ran on {ran} other input{'s' if ran > 1 else ''})"
        shapes = _shape_error(ex, answer, p, ran)
        if shapes:
            return ExerciseResult(name, *shapes)
        err = p.reply.error
        if isinstance(err, IndexError):
            others += (". An index ran past the end of an axis: an array made with the wrong shape, a loop bound"
                       " from the wrong size, or two indices in each other's places?")
        return ExerciseResult(name, "raised an error", f"{type(err).__name__}: {err}, {_on(ex, p)}{others}")
    for step in (() if kind == "shape" else (lambda: _whole_numbers(ex, probes, wrong),
                                              lambda: _generic_mistake(ex, probes, wrong, kind == "number"),
                                              lambda: _near_miss(ex, probes, wrong))):
        found = step()
        if found:
            return ExerciseResult(name, *found)
    for found in (_shape_problem(ex, probes, wrong, kind), _partial_pattern(ex, probes, wrong)):
        if found:
            return ExerciseResult(name, *found)
    if kind in ("number", "shape"):
        notes = _behaviour(ex, probes[0], answer)
        if notes:
            return ExerciseResult(name, "does not match", _sentence("; ".join(notes)) + _pointer(ex, "behaviour"))
    label, text = _where_it_differs(ex, probes, wrong)
    return ExerciseResult(name, label, _sentence(text) + _pointer(ex, "topic"))


# ---------------------------------------------------------------------------------------------------------
# Graded hints

_HINT_LEVEL = {}


@dataclass
class Hint:
    name: str
    level: int
    of: int
    text: str

    def __repr__(self):
        more = "" if self.level < self.of else " (that is the last hint)"
        return wrap(f"{self.name} hint {self.level}/{self.of}{more}: {self.text}", "  ")

    __str__ = __repr__


def hints(name):
    """Every hint of an exercise, mildest first; the last one points to the worked solution."""
    ex = _exercise(name)
    return ex.hints + [f"the worked solution is in {_solution_path(ex)} (exercise {ex.name})"]


def _solution_path(ex):
    """solutions/NN-title-solutions.ipynb, relative to the notebooks folder."""
    if "-" not in ex.notebook:  # only the number is known: look for the notebook next to the package
        from pathlib import Path
        found = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob(f"{ex.notebook}-*.ipynb"))
        if found:
            return f"solutions/{found[0].stem}-solutions.ipynb"
        return f"solutions/ (notebook {ex.notebook})"
    return f"solutions/{ex.notebook}-solutions.ipynb"


def hint(name, level=None):
    """The next hint for exercise `name` (each call goes one level further), or the hint at `level` (1-based)."""
    name = _exercise(name).name
    texts = hints(name)
    if level is None:
        level = min(_HINT_LEVEL.get(name, 0) + 1, len(texts))
    if not 1 <= level <= len(texts):
        raise ValueError(f"{name} has hints 1 to {len(texts)}, not {level}")
    _HINT_LEVEL[name] = level
    return Hint(name, level, len(texts), texts[level - 1])


def reset_hints(name=None):
    """Start the hints of `name` (or of every exercise) again from the first."""
    if name is None:
        _HINT_LEVEL.clear()
    else:
        _HINT_LEVEL.pop(name, None)
