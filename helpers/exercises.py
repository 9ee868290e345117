"""Exercise checkers that name the mistake.

An answer is a function (the learner's derivation as code).  The checker calls it on inputs it chooses:
a rectangular case, where a wrong formula usually fails on shape, and a square one, where every
arrangement of the operands fits and only the values can tell.  It then says one of: correct; not
attempted yet (the placeholder returns None); the wrong shape and which operand a transpose would fix;
the known mistake the answer equals (a missing transpose, a wrong summed index, a sign, a constant
factor such as a mean, the other convention's formula); or "does not match" with the worst entry.
It never prints the expected formula.
"""
from dataclasses import dataclass, field

import numpy as np

NOT_ATTEMPTED = "not attempted yet"


@dataclass
class ExerciseResult:
    name: str
    status: str  # "correct", NOT_ATTEMPTED, or a short diagnosis such as "sign slip"
    message: str = ""

    def __bool__(self):
        return self.status == "correct"

    def __repr__(self):
        return f"{self.name}: {self.status}" + (f": {self.message}" if self.message else "")


@dataclass
class Exercise:
    """solution(**inputs) is the truth; variants map a diagnosis to (wrong function, message)."""
    name: str
    solution: object
    probes: object  # () -> list of input dicts: rectangular first, square last
    variants: dict = field(default_factory=dict)
    operands: tuple = ()  # input names whose transposes the shape hint may suggest


EXERCISES = {}


def register(name, solution, probes, variants=None, operands=()):
    EXERCISES[name] = Exercise(name, solution, probes, variants or {}, operands)


def _run(fn, inputs):
    try:
        out = fn(**{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in inputs.items()})
    except Exception as exc:  # noqa: BLE001 - the learner's code; its error is part of the diagnosis
        return exc
    if out is None or out is Ellipsis:
        return None
    if isinstance(out, tuple) and all(isinstance(v, (int, np.integer)) for v in out):
        return out
    try:
        return np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        return TypeError(f"the answer is not a number or an array ({exc})")


def _same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _same_values(a, b):
    """Equal entries, allowing a different arrangement of the same numbers (e.g. (1, n) vs (n, 1))."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return a.size == b.size and np.allclose(a.ravel(), b.ravel(), rtol=1e-6, atol=1e-9)


def _factor(a, e):
    """The constant k with a = k e, if there is one (and e is not all zeros)."""
    if isinstance(a, tuple) or a.shape != e.shape or not np.any(e):
        return None
    k = float(np.vdot(a, e) / np.vdot(e, e))
    return k if np.allclose(a, k * e, rtol=1e-6, atol=1e-9) else None


def _fixing_transposes(want, inputs, operands):
    """Which operands, transposed, let a product of two of them have shape `want` (names only, no formula)."""
    mats = {n: inputs[n] for n in operands if isinstance(inputs.get(n), np.ndarray) and inputs[n].ndim == 2}
    fixes = set()
    for a in mats:
        for b in mats:
            if a == b:
                continue
            for ta in (False, True):
                for tb in (False, True):
                    sa = mats[a].shape[::-1] if ta else mats[a].shape
                    sb = mats[b].shape[::-1] if tb else mats[b].shape
                    if sa[1] == sb[0] and (sa[0], sb[1]) == tuple(want):
                        fixes.add(tuple(sorted(n for n, t in ((a, ta), (b, tb)) if t)))
    return sorted(fixes, key=len)


def _shape_hint(shape, want, inputs, operands):
    text = f"your answer has shape {shape}, it should be {want}"
    if tuple(shape[::-1]) == tuple(want):
        return text + ": it is the transpose of the right shape (is the whole result transposed?)"
    fixes = _fixing_transposes(want, inputs, operands)
    if not fixes:
        return text
    shapes = ", ".join(f"{n} {inputs[n].shape}" for n in operands if n in inputs)
    ways = " or ".join("transposing " + " and ".join(f) if f else "no transpose, another order" for f in fixes)
    return (f"{text}. Here {shapes}: the shapes fit by {ways}; shapes are not a proof, so check the index form"
            " too")


def _factor_message(k, inputs):
    n = inputs.get("n")
    if np.isclose(k, -1):
        return "sign slip", "your answer is exactly minus the right one"
    if np.isclose(k, 0.5) or np.isclose(k, 2):
        return "constant factor", f"your answer is {k:g} times the right one (a stray 1/2 or 2?)"
    for size in {v.shape[-1] for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim == 2} | {n}:
        if size and np.isclose(k, 1 / size):
            return "mean instead of sum", f"your answer is 1/{size} of the right one: a mean over {size} entries instead of a sum"
    return "constant factor", f"your answer is {k:.4g} times the right one"


def check(name, answer):
    """Run the learner's function `answer` on the exercise's own inputs and diagnose the result."""
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {name!r}; known: {sorted(EXERCISES)}")
    ex = EXERCISES[name]
    if answer is None or not callable(answer):
        return ExerciseResult(name, NOT_ATTEMPTED if answer is None else "not a function",
                              "fill in the function above and run both cells again" if answer is None
                              else "pass your function itself (its name, without calling it)")
    results = [(inputs, _run(answer, inputs), _run(ex.solution, inputs)) for inputs in ex.probes()]
    if any(got is None for _, got, _ in results):
        return ExerciseResult(name, NOT_ATTEMPTED, "your function returns None: replace the placeholder")
    if all(not isinstance(got, Exception) and _same(got, want) for _, got, want in results):
        return ExerciseResult(name, "correct")
    for inputs, got, want in reversed(results):  # the square case first: there every arrangement fits
        if isinstance(got, Exception):
            continue
        for label, (wrong, message) in ex.variants.items():
            bad = _run(wrong, inputs)
            if not isinstance(bad, Exception) and not _same_values(bad, want) and _same_values(got, bad):
                return ExerciseResult(name, label, message)
        k = _factor(got, want)
        if k is not None:
            return ExerciseResult(name, *_factor_message(k, inputs))
    for inputs, got, want in results:
        if isinstance(got, Exception):
            return ExerciseResult(name, "raised an error", f"{type(got).__name__}: {got}. Check the shapes of the"
                                  f" factors: {', '.join(f'{k} {v.shape}' for k, v in inputs.items() if hasattr(v, 'shape'))}")
        if not isinstance(got, tuple) and got.shape != want.shape:
            return ExerciseResult(name, "wrong shape", _shape_hint(got.shape, want.shape, inputs, ex.operands))
    for inputs, got, want in results:
        if not _same(got, want):
            if isinstance(got, tuple):
                return ExerciseResult(name, "does not match", f"{got} is not it")
            worst = np.unravel_index(np.argmax(np.abs(got - want)), want.shape) if want.ndim else ()
            where = f" at index {tuple(int(i) for i in worst)}" if want.ndim else ""
            return ExerciseResult(name, "does not match", f"worst entry{where}: yours {got[worst]:.6g}, expected"
                                  f" {want[worst]:.6g} (on inputs chosen by the checker)")
    return ExerciseResult(name, "does not match")
