"""The exercise checker: accepts every natural right answer, rejects every generated wrong one, names a mistake
only when it explains every probe, never leaks the expected value, and gives graded hints."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import EXERCISES, NOT_ATTEMPTED, PROBES, check, hint, hints, reset_hints

NAMES = sorted(EXERCISES)
ROOT = Path(__file__).resolve().parents[1]
FORMULAS = ["W.T @ G", "G @ X.T", "X.T @ G", "G @ W.T", "G.T @ Q", "W.T", "X.T", "X[c, j]", "X[c,j]", "X_cj",
            "X_{cj}", "W_ik", "W_{ik}", "W[i, k]", "2 * H * m", "2Hm", "2 H m", "1/H", "1 / H", "(H, m)", "H*m*H*n",
            "keepdims=True", "axis=1", "axis=0", "W1.T @", "W1.T", "(H, n, m, n)", "H n m n",
            "8 * H",
            "1 − t²", "1 - t**2", "other factor's entry", "derivative of w² is 2w", "sign(W)", "np.sign"]


def _square(args):
    dims = {d for v in args if isinstance(v, np.ndarray) for d in v.shape if d != 1}
    dims |= {v for v in args if isinstance(v, int) and v > 1 and not dims}
    return len(dims) <= 1


def _first_swap(ex):
    """Two integer arguments whose exchange changes the right answer on the first probe."""
    args = list(ex.probe_args(PROBES[0]).values())
    ints = [k for k, v in enumerate(args) if isinstance(v, int)]
    for a in ints:
        for b in ints:
            if a < b:
                swapped = list(args)
                swapped[a], swapped[b] = swapped[b], swapped[a]
                try:
                    if not np.allclose(np.asarray(ex.solution(*swapped), float), np.asarray(ex.solution(*args), float)):
                        return a, b
                except (IndexError, ValueError):
                    return a, b
    raise AssertionError("no swap changes the answer")


def _first_size(shape):
    """The first size of a result's shape that is not 1 (a (1, n) row is divided by n, not by 1)."""
    return next((d for d in shape if d != 1), 1)


def wrong_answers(name):
    """The generated wrong answers of an exercise: label -> function with the learner's signature."""
    ex = EXERCISES[name]
    sol = ex.solution
    rng = np.random.default_rng(5)
    out = {}
    if ex.kind == "array":
        def one_off(*a):
            r = np.array(sol(*a), dtype=float)
            r.flat[-1] += 0.5
            return r
        out.update({
            "transpose": lambda *a: sol(*a).T, "sign": lambda *a: -sol(*a), "scale 2": lambda *a: 2 * sol(*a),
            "scale 1/2": lambda *a: sol(*a) / 2, "scale 1+1e-8": lambda *a: sol(*a) * (1 + 1e-8),
            "offset 1e-7": lambda *a: sol(*a) + 1e-7, "zero": lambda *a: np.zeros_like(sol(*a)),
            "one entry off": one_off, "swapped dimensions": lambda *a: sol(*a).reshape(sol(*a).shape[::-1]),
            "random": lambda *a: rng.standard_normal(np.shape(sol(*a))),
            "right only on square": lambda *a: sol(*a) if _square(a) else sol(*a).T + 1,
            "right plus complex": lambda *a: sol(*a) + 7j,
            "float32, 1.001 times": lambda *a: (sol(*a) * 1.001).astype(np.float32),
            "mean over the first size": lambda *a: sol(*a) / _first_size(np.shape(sol(*a))),
        })
    elif ex.kind == "number":
        a_, b_ = _first_swap(ex)

        def swapped(*a):
            a = list(a)
            a[a_], a[b_] = a[b_], a[a_]
            return sol(*a)
        out.update({
            "sign": lambda *a: -sol(*a), "scale 2": lambda *a: 2 * sol(*a), "scale 1/2": lambda *a: sol(*a) / 2,
            "scale 1+1e-8": lambda *a: sol(*a) * (1 + 1e-8), "zero": lambda *a: 0, "one off": lambda *a: sol(*a) + 1,
            "swapped dimensions": swapped, "random": lambda *a: float(rng.standard_normal()),
            "right only on square": lambda *a: sol(*a) if _square(a) else sol(*a) + 1,
            "right plus complex": lambda *a: sol(*a) + 7j, "string": lambda *a: str(sol(*a)),
        })
    else:  # a shape
        out.update({
            "transpose": lambda *a: tuple(reversed(sol(*a))), "sign": lambda *a: tuple(-v for v in sol(*a)),
            "scale 2": lambda *a: tuple(2 * v for v in sol(*a)), "zero": lambda *a: (0, 0),
            "one entry off": lambda *a: (sol(*a)[0], sol(*a)[1] + 1),
            "swapped dimensions": lambda H, m, n: sol(n, m, H),
            "random": lambda *a: tuple(int(v) for v in rng.integers(1, 12, size=2)),
            "right only on square": lambda *a: sol(*a) if _square(a) else sol(*a)[::-1],
            "right plus complex": lambda *a: (sol(*a)[0] + 7j, sol(*a)[1]), "string": lambda *a: str(sol(*a)),
        })
    calls = {"n": 0}

    def none_on_some(*a):
        calls["n"] += 1
        return None if calls["n"] % 2 else sol(*a)
    out["None on some probes"] = none_on_some
    out["non-numeric"] = lambda *a: {"answer": 1}
    out["nan"] = lambda *a: np.full(np.shape(sol(*a)), np.nan)
    return out


def _spellings(x):
    """How a message could spell the number x (small integers are sizes and indices, so they are allowed)."""
    x = float(x)
    if x.is_integer():
        return {str(int(x))} if abs(x) > 11 else set()
    if abs(x) < 1e-3:
        return set()
    texts = {f"{x:{fmt}}" for fmt in (".3g", ".4g", ".6g", ".3f", ".2f")} | {repr(x)}
    return {t for t in texts if not re.fullmatch(r"-?\d+", t) or abs(int(t)) > 11}


_EXPECTED = {}


def _expected_spellings(name):
    if name not in _EXPECTED:
        ex, texts = EXERCISES[name], set()
        for s in ex.probes:  # the exercise's own probes (a seed may be moved off an all-zero right answer)
            truth = ex.solution(*ex.probe_args(s).values())
            if ex.kind == "shape":
                texts |= {str(tuple(truth)), str(list(truth)), f"{truth[0]} x {truth[1]}", f"{truth[0]}×{truth[1]}"}
            else:
                for x in np.ravel(np.asarray(truth, dtype=float)):
                    texts |= _spellings(x) | _spellings(-x)
        _EXPECTED[name] = texts
    return _EXPECTED[name]


_SPLIT = {}


def assert_no_leak(name, message):
    """No spelling of any expected value on any probe, and no solution formula, appears in the message."""
    if name not in _SPLIT:
        texts = _expected_spellings(name)
        numeric = {t for t in texts if re.fullmatch(r"-?[\d.e+-]+", t)}
        _SPLIT[name] = numeric, sorted(texts - numeric)
    numeric, others = _SPLIT[name]
    numbers = set(re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", message))
    assert not numbers & numeric, (name, numbers & numeric, message)
    for text in others:
        assert text not in message, (name, text, message)
    for formula in FORMULAS:
        assert formula not in message, (name, formula, message)


# -- right answers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_solution_is_accepted(name):
    result = check(name, EXERCISES[name].solution)
    assert result and repr(result) == f"{name}: correct", result


@pytest.mark.parametrize("name", [n for n in NAMES if EXERCISES[n].kind == "array"])
def test_natural_forms_of_a_right_array_answer(name):
    sol = EXERCISES[name].solution
    params = ", ".join(f"p{k}" for k in range(len(EXERCISES[name].probe_args(PROBES[0]))))
    forms = {"list": lambda *a: sol(*a).tolist(), "tuple of tuples": lambda *a: tuple(map(tuple, sol(*a))),
             "float32": lambda *a: sol(*a).astype(np.float32), "a view": lambda *a: np.asarray(sol(*a))[:, :],
             "transposed twice": lambda *a: np.ascontiguousarray(sol(*a).T).T,
             "renamed parameters": eval(f"lambda {params}: sol({params})", {"sol": sol})}
    for label, form in forms.items():
        assert check(name, form), (label, check(name, form))


def test_natural_forms_of_shapes_and_numbers():
    for form in (lambda H, m, n: [H, m], lambda H, m, n: np.array([H, m]), lambda H, m, n: (float(H), float(m)),
                 lambda H, m, n: np.shape(np.zeros((H, m))), lambda H, m, n: (np.int64(H), m)):
        assert check("01-grad-shape", form)
    for form in (lambda H, m, n: float(H * m * H * n), lambda H, m, n: np.int32(H * m * H * n),
                 lambda H, m, n: np.array([H * m * H * n]), lambda H, m, n: np.float32(H * m * H * n)):
        assert check("02-count", form)
    from fractions import Fraction
    assert check("03-fraction", lambda H, m, n: Fraction(1, H))
    assert check("08-dD-dX", lambda W, l: W)  # the input itself (the checker passes copies)
    assert check("01-entry", lambda W, X, i, j: sum(W[i, k] * X[k, j] for k in range(X.shape[0])))
    assert check("02-chain-entry", lambda G, J, d, c: np.sum(G * J[:, :, d, c]))  # no product function: allowed


# -- wrong answers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_generated_wrong_answer_is_rejected_without_leaking(name):
    for label, wrong in wrong_answers(name).items():
        result = check(name, wrong)
        assert not result, (label, result)
        assert result.status != NOT_ATTEMPTED and result.message, (label, result)
        assert_no_leak(name, result.message)


@pytest.mark.parametrize("name", NAMES)
def test_each_planted_mistake_is_named_with_its_message_and_section(name):
    for mistake in EXERCISES[name].mistakes:
        result = check(name, mistake.wrong)
        assert result.status == mistake.label, (mistake.label, result)
        assert result.message.startswith(mistake.message), (mistake.label, result)
        assert f"See {exercises.where(*mistake.see)}." in result.message
        assert "$" not in result.message  # plain text: no TeX dollar signs
        assert_no_leak(name, result.message)


def _headings(number):
    path = next((ROOT / "notebooks").glob(f"{number}-*.ipynb"))
    cells = json.loads(path.read_text())["cells"]
    return {line.lstrip("#").strip() for c in cells if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines() if line.startswith("#")}


def test_every_pointer_names_an_existing_section():
    pointers = set()
    for ex in EXERCISES.values():
        pointers |= {ex.topic, *ex.see.values(), *(m.see for m in ex.mistakes)}
    pointers |= {("06", "Shapes: a mnemonic"), ("06", "… and why it is not a proof")}
    for number, section in pointers:
        assert section in _headings(number), (number, section)


def test_named_messages_are_not_swapped():
    """Literal texts, so that a checker handing one mistake's message to another fails."""
    r = check("08-dX-matrix", lambda W, X, G: W @ G)
    assert r.status == "missing transpose" and "the summed index i is the first (row) index of W" in r.message
    r = check("08-dX-matrix", lambda W, X, G: G @ W.T)
    assert r.status == "the other convention's formula" and "samples as rows" in r.message
    r = check("09-sample-bias", lambda W, X, c, G: G.sum(axis=0, keepdims=True))
    assert r.status == "ReLU mask missing" and "only where its input is positive" in r.message
    r = check("09-sample-bias", lambda W, X, c, G: (G * (W @ X + c > 0)).sum(axis=1, keepdims=True))
    assert r.status == "the (H, 1) bias's sum" and "one entry per output. c has one entry per sample" in r.message
    r = check("09-sample-bias", lambda W, X, c, G: (G * (W @ X > 0)).sum(axis=0, keepdims=True))
    assert r.status == "offset missing in the mask" and "includes the offset c" in r.message
    r = check("10-dX", lambda W1, b1, W2, X, G: W1.T @ ((W2.T @ G) * (W1 @ X > 0)))
    assert r.status == "bias missing in the mask" and "includes b1" in r.message
    r = check("10-dX", lambda W1, b1, W2, X, G: (W2.T @ G) * (W1 @ X + b1 > 0))
    assert r.status == "stopped at the hidden layer" and "one step is left" in r.message
    r = check("10-dX", lambda W1, b1, W2, X, G: ((W2.T @ G) * (W1 @ X + b1 > 0)) @ X.T)
    assert r.status == "that is dL/dW1" and "first layer's weights" in r.message
    r = check("12-jacobian-dX-bytes", lambda H, m, n: H * n * m * n)
    assert r.status == "numbers, not bytes" and "each float64 number takes 8" in r.message
    r = check("12-jacobian-dX-bytes", lambda H, m, n: 8 * H * n * H * m)
    assert r.status == "the Jacobian for W" and "every entry of D with every entry of X" in r.message


def test_generic_diagnoses_and_their_messages():
    sol = EXERCISES["08-dX-matrix"].solution
    r = check("08-dX-matrix", lambda W, X, G: -sol(W, X, G))
    assert r.status == "sign slip" and "exactly minus the right one on every input" in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G) / X.shape[1])
    assert r.status == "mean instead of sum" and "divided by n (the number of samples)" in r.message
    assert "on every input except the input W (5, 6), X (6, 1), G (5, 1) (n = 1), where it is right" in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G) * W.shape[0])
    assert r.status == "extra factor" and "multiplied by H (the number of outputs)" in r.message
    r = check("08-dX-matrix", lambda W, X, G: 0.5 * sol(W, X, G))
    assert r.status == "constant factor" and "too small" in r.message and "0.5" not in r.message
    r = check("08-dX-matrix", lambda W, X, G: 1.0001 * sol(W, X, G))
    assert r.status == "slightly off" and "1.0001" not in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G).T)
    assert r.status == "transposed result" and "belongs at (b, a), on every input" in r.message
    r = check("08-dX-matrix", lambda W, X, G: np.zeros(X.shape))
    assert r.status == "all zeros" and "is 0 on every input:" in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G) if len(set(W.shape + G.shape)) == 1 else X)
    assert r.status == "right only when square" and "“… and why it is not a proof”" in r.message
    r = check("08-dX-matrix", lambda W, X, G: np.ones((2, 3)) @ np.ones((4, 5)))
    assert r.status == "raised a shape error" and "3 columns and its right factor 4 rows" in r.message
    assert "W (3, 5), X (5, 7), G (3, 7)" in r.message and "gufunc" not in r.message
    r = check("08-dX-matrix", lambda W, X, G: G @ X.T)
    assert r.status == "wrong shape" and "has shape (3, 5)" in r.message and "“Shapes: a mnemonic”" in r.message
    r = check("09-sample-bias", lambda W, X, c, G: (G * (W @ X + c > 0)).sum(axis=0))
    assert r.status == "wrong shape" and "numbers are right" in r.message and "keepdims" in r.message
    r = check("09-sample-bias", lambda W, X, c, G: (G * (W @ X + c > 0)).mean(axis=0, keepdims=True))
    assert r.status == "mean instead of sum" and "divided by H (the number of outputs)" in r.message
    assert "“The bias: a sum, not a mean”" in r.message


GENERIC_MESSAGES = {  # the full texts, so that swapping two diagnoses' messages fails
    "sign slip": (lambda W, X, G: -(W.T @ G), "your answer is exactly minus the right one on every input."),
    "mean instead of sum": (lambda W, X, G: (W.T @ G) / X.shape[0], "your answer is the right one divided by m (the"
                            " number of features) on every input: a division, or a mean, that the derivation does not have?"),
    "extra factor": (lambda W, X, G: (W.T @ G) * W.shape[1], "your answer is the right one multiplied by m (the number"
                     " of features) on every input: a sum where there should be a single term?"),
    "constant factor": (lambda W, X, G: 0.5 * (W.T @ G), "your answer is the right one times one and the same number"
                        " on every input: it is too small. Look for a stray constant (a 2 or 1/2 from a square,"
                        " a mean)."),
    "slightly off": (lambda W, X, G: 1.0001 * (W.T @ G), "your answer is the right one times a constant factor close"
                     " to 1, the same on every input: a rounded constant, or a computation in low precision?"),
    "transposed result": (lambda W, X, G: (W.T @ G).T, "entry (a, b) of yours belongs at (b, a), on every input."
                          " Which index of the result is its row?"),
    "all zeros": (lambda W, X, G: np.zeros(X.shape), "every entry of your answer is 0 on every input: does"
                  " the loop body run, and does it add into the array you return?"),
}


@pytest.mark.parametrize("label", sorted(GENERIC_MESSAGES))
def test_generic_messages_word_for_word(label):
    answer, text = GENERIC_MESSAGES[label]
    r = check("08-dX-matrix", answer)
    see = " See notebook 08, section “Step 4 — index form and matrix form”."
    assert (r.status, r.message) == (label, text + see)


def test_a_mistake_is_named_only_if_it_explains_every_wrong_probe():
    sol = EXERCISES["08-dX-matrix"].solution
    # minus on some probes, twice on others: neither a sign slip nor a constant factor
    r = check("08-dX-matrix", lambda W, X, G: -sol(W, X, G) if W.shape[0] % 2 else 2 * sol(W, X, G))
    assert r.status == "size-dependent factor" and "not the same multiple on every one" in r.message
    # a mean over H on the tall probes, right elsewhere: still "divided by H" where wrong (H = 1 divides by 1)
    r = check("09-sample-bias", lambda W, X, c, G: (G * (W @ X + c > 0)).mean(axis=0, keepdims=True))
    assert r.status == "mean instead of sum"
    # a planted variant on one probe only is not named
    r = check("08-dX-matrix", lambda W, X, G: W @ G if W.shape[0] == W.shape[1] else sol(W, X, G) + 1)
    assert r.status not in {m.label for m in EXERCISES["08-dX-matrix"].mistakes}


def test_one_number_answers_get_behaviour_feedback():
    r = check("03-fraction", lambda H, m, n: 1 / (H * m))
    assert r.message.startswith("your answer changes when m (the number of features) changes, but the right one"
                                " does not")
    r = check("03-fraction", lambda H, m, n: 0.25)
    assert "does not change when H (the number of outputs) changes, but the right one does" in r.message
    r = check("12-jacobian-dX-bytes", lambda H, m, n: 8 * H * n * n)
    assert "does not change when m (the number of features) changes, but the right one does" in r.message
    r = check("12-jacobian-dX-bytes", lambda H, m, n: 8 * H * m * n)
    assert "when n (the number of samples) grows, your answer grows more slowly than the right one" in r.message
    r = check("04-local", lambda X, d, j, c: X[c, j] + d)
    assert "your answer changes when d changes, but the right one does not" in r.message
    r = check("02-count", lambda H, m, n: (H * m) * (H * n) // H + H)
    assert "grows more slowly than the right one" in r.message
    for result in (r, check("02-count", lambda H, m, n: 7)):
        assert_no_leak("02-count", result.message)


def test_clear_messages_for_odd_answers():
    sol = EXERCISES["08-dX-matrix"].solution
    assert check("08-dX-matrix", lambda W, X, G: sol(W, X, G) + 7j).status == "complex answer"
    r = check("02-count", lambda H, m, n: str(H * m * H * n))
    assert r.status == "not a number" and "a string" in r.message
    r = check("08-dX-matrix", lambda W, X, G: None if W.shape[0] == 1 else sol(W, X, G))
    assert r.status == "returns None" and "on 1 of 6 inputs" in r.message and "H = 1" in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G) * np.nan)
    assert r.status == "not a number" and "nan" in r.message
    r = check("08-dX-matrix", lambda W, G: W)
    assert r.status == "wrong arguments" and "in this order: W, X, G" in r.message
    r = check("08-dX-matrix", lambda W, X, G: sol(W, X, G).astype(np.float16))
    assert r.status == "not a number" and "float16" in r.message
    r = check("01-grad-shape", lambda H, m, n: (H, m, 1))
    assert r.status == "wrong form"


def test_forbidden_operations_are_reported():
    r = check("01-entry", lambda W, X, i, j: W[i] @ X[:, j])
    assert r.status == "right values, but not as asked" and "`@` (matmul)" in r.message and "without `@`" in r.message
    assert "np.einsum" in check("01-entry", lambda W, X, i, j: np.einsum("k,k->", W[i], X[:, j])).message
    assert "np.dot" in check("01-entry", lambda W, X, i, j: np.dot(W[i], X[:, j])).message
    assert "dot" in check("01-entry", lambda W, X, i, j: W[i].dot(X[:, j])).message
    assert "np.tensordot" in check("02-chain-entry", lambda G, J, d, c: np.tensordot(G, J[:, :, d, c])).message
    assert not check("08-dX-loop", lambda W, X, G: W.T @ G)
    r = check("01-entry", lambda W, X, i, j: 2 * (W[i] @ X[:, j]))
    assert r.status == "constant factor" and "Also: the exercise asks for" in r.message

    def with_numerical_jacobian(X, H, i, j):
        import helpers
        return helpers.numerical_jacobian(lambda W: W @ X, np.zeros((H, X.shape[0])))[i, j]
    r = check("03-slice", with_numerical_jacobian)
    assert r.status == "right values, but not as asked" and "numerical_jacobian" in r.message
    assert check("08-dX-matrix", lambda W, X, G: W.T @ G)  # nothing forbidden there


# -- the checker's own discipline --------------------------------------------------------------------------------

def test_probe_design():
    distinct = [s for s in PROBES if s.label == "distinct sizes"]
    assert len(distinct) >= 3 and len(PROBES) >= 5
    for s in distinct:
        assert len({s.H, s.m, s.n, s.h}) == 4
    assert len({v for s in distinct[:3] for v in (s.H, s.m, s.n)}) == 9
    for a, b in zip(PROBES, PROBES[1:]):
        assert a.H != b.H and a.m != b.m and a.n != b.n and a.h != b.h and a.seed != b.seed
    assert any(s.H == 1 for s in PROBES) and any(s.n == 1 for s in PROBES)
    assert any(s.H == s.m == s.n for s in PROBES)
    for s in PROBES:
        assert 0 <= s.i < s.H and 0 <= s.j < s.n and 0 <= s.c < s.m
    for field in "ijc":
        assert len({getattr(s, field) for s in distinct}) == len(distinct)


def test_tolerance_is_tight():
    sol = EXERCISES["08-dX-matrix"].solution
    assert not check("08-dX-matrix", lambda W, X, G: sol(W, X, G) * (1 + 1e-8))
    assert not check("08-dX-matrix", lambda W, X, G: sol(W, X, G) + 1e-8)
    assert check("08-dX-matrix", lambda W, X, G: sol(W, X, G) * (1 + 1e-13))
    assert not check("08-dX-matrix", lambda W, X, G: (sol(W, X, G) * (1 + 1e-3)).astype(np.float32))
    assert not check("02-count", lambda H, m, n: H * m * H * n * (1 + 1e-8))
    assert not check("03-fraction", lambda H, m, n: round(1 / H, 4))
    assert exercises.RTOL <= 1e-9 and exercises.RTOL32 <= 1e-4


def test_inputs_are_copies():
    sol = EXERCISES["08-dX-matrix"].solution

    def zero_g_first(W, X, G):
        G[:] = 0
        return W.T @ G
    r = check("08-dX-matrix", zero_g_first)
    assert not r and "modifies G in place" in r.message

    def mutate_after(W, X, G):
        out = W.T @ G
        G *= 2
        W[:] = 0
        return out
    r = check("08-dX-matrix", mutate_after)
    assert r.status == "changes its input" and "G and W" in r.message

    seen = []

    def remember(W, X, G):
        seen.append(G)
        return sol(W, X, G)
    assert check("08-dX-matrix", remember)
    assert len({id(g) for g in seen}) == len(seen) and all(np.any(g) for g in seen)
    assert check("08-dX-matrix", sol) and check("05-softmax-ce", EXERCISES["05-softmax-ce"].solution)

    def softmax_in_place(D, labels):
        D -= D.max(axis=0, keepdims=True)
        P = np.exp(D) / np.exp(D).sum(axis=0, keepdims=True)
        P[labels, np.arange(D.shape[1])] -= 1
        return P
    r = check("05-softmax-ce", softmax_in_place)
    assert r.status == "changes its input" and "D in place" in r.message


def test_the_truth_is_computed_on_its_own_copies():
    def doubling_in_place(A):  # a solution that changes its argument must not change what the learner gets
        A *= 2
        return A
    exercises.register("zz-in-place", doubling_in_place, lambda s, rng: dict(A=exercises.rand(rng, s.H, s.m)),
                       topic=("06", "Shapes: a mnemonic"), hints=["h1", "h2"])
    try:
        assert check("zz-in-place", lambda A: 2 * A)
        assert not check("zz-in-place", lambda A: 4 * A)
    finally:
        del EXERCISES["zz-in-place"]


def test_placeholder_and_misuse():
    for name in NAMES:
        assert check(name, None).status == NOT_ATTEMPTED
        r = check(name, lambda *args: None)
        shown = " ".join(repr(r).split())
        assert shown == f"{name}: not attempted yet: your function returns None: replace the placeholder"
    assert check("06-xw", 42).status == "not a function"
    with pytest.raises(ValueError, match="unknown exercise"):
        check("no-such-exercise", None)


def test_checks_are_quick():
    import time
    start = time.perf_counter()
    for name in NAMES:
        check(name, EXERCISES[name].solution)
    assert time.perf_counter() - start < 5.0


# -- hints -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_graded_hints_end_with_the_solution_notebook(name):
    texts = hints(name)
    assert len(texts) >= 3 and len(set(texts)) == len(texts)
    path = re.search(r"solutions/\S+\.ipynb", texts[-1]).group(0)
    assert (ROOT / "notebooks" / path).exists(), path
    assert all("solutions/" not in t for t in texts[:-1])


def test_hint_is_stateful_per_exercise_and_can_be_reset_or_chosen():
    reset_hints()
    first = hint("08-find-bug")
    assert first.level == 1 and repr(first).startswith("08-find-bug hint 1/")
    assert hint("08-find-bug").level == 2
    assert hint("06-xw").level == 1  # another exercise keeps its own count
    for _ in range(len(hints("08-find-bug")) - 2):
        last = hint("08-find-bug")
    assert last.level == last.of and "solutions/08-other-input-solutions.ipynb" in last.text
    assert hint("08-find-bug").level == last.of and "last hint" in repr(hint("08-find-bug"))
    assert hint("08-find-bug", 1).level == 1 and hint("08-find-bug").level == 2
    reset_hints("08-find-bug")
    assert hint("08-find-bug").level == 1 and hint("06-xw").level == 2
    with pytest.raises(ValueError):
        hint("08-find-bug", 9)
    with pytest.raises(ValueError, match="unknown exercise"):
        hint("nope")
    reset_hints()
