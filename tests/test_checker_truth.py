"""The checker says only what is true of the learner's answer (issue 18 §1): each class of false diagnosis is
generated over every exercise of the bank, not only the example it was found with.  Every message produced
here also passes the same checks of form: pointers only to notebooks reached, only the exercise's own sizes,
plain text wrapped at word boundaries, no expected value, no formula."""
import functools
import re

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import EXERCISES, WORDS, check
from test_exercises import assert_no_leak

NAMES = sorted(EXERCISES)
ARRAYS = [n for n in NAMES if EXERCISES[n].kind == "array"]
NUMBERS = [n for n in NAMES if EXERCISES[n].kind == "number"]
SIZE_PHRASES = {w.partition(" ")[2] for k, w in WORDS.items() if k in "Hmnh"}  # "(the number of outputs)" ...


def _key(args):
    return tuple(np.shape(v) if isinstance(v, np.ndarray) else v for v in args)


@functools.lru_cache(maxsize=None)
def _probes(name):
    ex = EXERCISES[name]
    return [(s, ex.probe_args(s)) for s in ex.probes]


def _truth(name, args):
    return np.asarray(EXERCISES[name].solution(*args.values()), dtype=float)


@functools.lru_cache(maxsize=None)
def _sizes_by_key(name):
    return {_key(args.values()): s for s, args in _probes(name)}


def _right_on(name, answer):
    """How many of the exercise's probes `answer` is right on (by the checker's own tolerance)."""
    ex, count = EXERCISES[name], 0
    for s in ex.probes:
        args = ex.probe_args(s)
        reply = exercises._call(answer, args)
        count += reply.usable and exercises._close(reply.value, exercises._truth(ex, args), reply.low_precision)
    return count


def assert_truthful(name, result, answer=None):
    """What every message must be: "on every input" only when wrong on every input, pointers reached, own sizes
    only, plain wrapped text, nothing leaked."""
    ex, msg = EXERCISES[name], result.message
    if answer is not None and _right_on(name, answer):
        assert not re.search(r"on every input(?! except| where it is wrong)", msg), (name, "not every input", msg)
    own = int(name.split("-")[0])
    for number in re.findall(r"See notebook (\d+)", msg):
        assert int(number) <= own, (name, "points ahead", msg)
    own_words = " ".join(ex.words.values())
    for phrase in SIZE_PHRASES:
        assert phrase not in msg or phrase in own_words, (name, "a size the exercise does not have", msg)
    assert "H = m = n" not in msg or {"H", "m", "n"} <= set(ex.words)
    assert not re.search(r"\$|\\[a-z]|_\{", msg), (name, "raw TeX", msg)
    for line in repr(result).splitlines():
        assert len(line) <= exercises.WIDTH or " " not in line.strip(), (name, "not wrapped", line)
    label_words = {w for w in re.findall(r"[a-z]{4,}", result.status.lower())} - {"your", "answer", "right"}
    first = re.split(r"[:;.?]", msg.lower())[0]  # "missing transpose: a transpose is missing"
    assert not label_words or not label_words <= set(re.findall(r"[a-z]+", first)), \
        (name, "the message repeats its label", result)
    assert_no_leak(name, msg)


def _only_on(name, index, wrong):
    """The right answer everywhere except on probe `index`, where it is wrong(truth)."""
    sol, key = EXERCISES[name].solution, _key(_probes(name)[index][1].values())
    return lambda *a: wrong(np.asarray(sol(*a), dtype=float)) if _key(a) == key else sol(*a)


# 1. "on every input" only when it holds, and the inputs where it is wrong named -----------------------------

@pytest.mark.parametrize("name", ARRAYS + NUMBERS)
def test_wrong_on_one_input_says_which(name):
    probes = _probes(name)
    square = next(k for k, (s, _) in enumerate(probes) if s.label.startswith("square"))
    for index in {0, square}:
        s, args = probes[index]
        if not np.any(_truth(name, args)):
            continue
        for label, wrong in (("negated", lambda t: -t), ("zeros", np.zeros_like), ("doubled", lambda t: 2 * t)):
            answer = _only_on(name, index, wrong)
            result = check(name, answer)
            assert not result, (label, result)
            assert "on every input" not in result.message, (label, result)
            assert exercises._describe_args(args) in result.message, (label, result)
            assert_truthful(name, result, answer)


# 2. precision: float32 values are judged alike, however they are returned ----------------------------------

def _in_float32(a):
    return [v.astype(np.float32) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v for v in a]


@pytest.mark.parametrize("name", ARRAYS)
def test_float32_values_are_judged_alike(name):
    sol = EXERCISES[name].solution
    as32 = lambda *a: np.asarray(sol(*_in_float32(a))).astype(np.float32)  # noqa: E731
    cast_back = lambda *a: as32(*a).astype(np.float64)  # noqa: E731
    mixed = lambda *a: np.asarray(sol(*_in_float32(a)), dtype=np.float64)  # noqa: E731 float32 inputs, mixed sums
    assert bool(check(name, as32)) == bool(check(name, cast_back)), (check(name, as32), check(name, cast_back))
    assert check(name, cast_back), check(name, cast_back)
    result = check(name, mixed)
    assert result or result.status == "close, not exact", result
    if not result:
        assert "float32" in result.message and "square" not in result.message
        assert_truthful(name, result)


# 3. a loop bound is guessed only for a prefix or suffix of wrong rows; a wrong row index is named -----------

def _rows(names):
    """The exercises whose answer is a matrix with at least three rows (on the first probe)."""
    first = {n: _truth(n, _probes(n)[0][1]) for n in names}
    return [n for n in names if first[n].ndim == 2 and first[n].shape[0] >= 3]


def _edit_rows(rows, to=None):
    def edit(t):
        t = np.array(t, dtype=float)
        if t.ndim == 2 and t.shape[0] >= 3:
            for r in rows(t.shape[0]):
                t[r] = t[r] + 1.0 if to is None else to
        return t
    return edit


@pytest.mark.parametrize("name", _rows(ARRAYS))
def test_loop_bounds_only_for_a_prefix_or_suffix(name):
    """A loop bound is guessed only for rows never written: a prefix or suffix of rows left at 0."""
    sol = EXERCISES[name].solution
    cases = {"scattered": (lambda H: [0, 2], None, None), "suffix": (lambda H: [H - 1], "stops early", 0.0),
             "prefix": (lambda H: [0], "starts late", 0.0), "suffix, not zeros": (lambda H: [H - 1], None, None),
             "prefix, not zeros": (lambda H: [0, 1], None, None)}
    for label, (rows, guess, to) in cases.items():
        edit = _edit_rows(rows, to)
        answer = lambda *a, edit=edit: edit(sol(*a))  # noqa: E731
        if _right_on(name, answer) == len(_probes(name)):
            continue  # those rows are 0 in the right answer too (03-slice's row 0)
        result = check(name, answer)
        assert not result, (label, result)
        if guess:  # (or the whole answer is 0 where it is wrong: 03-slice has one nonzero row)
            assert guess in result.message or result.status == "all zeros", (label, result)
        else:
            assert "loop" not in result.message, (label, result)
        assert_truthful(name, result, answer)
    result = check(name, lambda *a: np.asarray(sol(*a)).astype(int))
    assert result.status in ("whole numbers only", "all zeros"), result  # fractions dropped, or every entry
    assert result.status == "all zeros" or "loop" not in result.message, result
    roll = lambda *a: np.roll(sol(*a), 1, axis=0)  # noqa: E731
    rolled = check(name, roll)
    assert rolled.status in {"misplaced rows"} | {m.label for m in EXERCISES[name].mistakes}, rolled
    if rolled.status == "misplaced rows":
        assert "a wrong row index?" in rolled.message and "loop" not in rolled.message
    assert_truthful(name, rolled, roll)


def test_a_row_placed_at_the_wrong_index_is_named_as_such():
    def wrong_row(X, H, i, j):
        out = np.zeros((H, X.shape[0]))
        out[(i + 1) % H] = X[:, j]
        return out
    result = check("03-slice", wrong_row)
    assert result.status == "misplaced rows" and "a wrong row index?" in result.message, result
    assert "loop" not in result.message
    result = check("08-dD-dX", lambda W, l: np.roll(W, 1, axis=0))
    assert result.status == "misplaced rows" and "loop" not in result.message, result


# 4. a shape mistake is never "all zeros"; no probe's right answer is all zeros ---------------------------------

ZERO_BY_DESIGN = {("05-softmax-ce", "H = 1")}  # one class: the softmax is 1, the gradient 0


def test_no_probe_has_an_all_zero_right_answer():
    for name in NAMES:
        for s, args in _probes(name):
            if (name, s.label) not in ZERO_BY_DESIGN:
                assert np.any(_truth(name, args)), (name, s.label)


@pytest.mark.parametrize("name", [n for n in ARRAYS if any(1 in np.shape(_truth(n, args)) for _, args in _probes(n))])
def test_a_squeezed_answer_is_a_shape_mistake(name):
    sol = EXERCISES[name].solution
    result = check(name, lambda *a: np.squeeze(sol(*a)))
    assert result.status == "wrong shape" and "all zeros" not in result.message, result
    assert "numbers are right" in result.message
    assert_truthful(name, result)


# 5. only the exercise's own sizes are named ----------------------------------------------------------------

@pytest.mark.parametrize("name", ARRAYS + NUMBERS)
def test_only_the_exercises_own_sizes_are_named(name):
    ex, sol, sizes = EXERCISES[name], EXERCISES[name].solution, _sizes_by_key(name)
    for dim in "Hmnh":
        answer = lambda *a, dim=dim: np.asarray(sol(*a), dtype=float) / (getattr(sizes[_key(a)], dim) + 1)  # noqa
        result = check(name, answer)
        assert not result
        assert_truthful(name, result, answer)
        if dim in ex.words and result.status == "mean instead of sum":
            assert exercises._letter(ex, dim) in result.message
    for name_, words in (("11-attention-dK", ("q (the number of queries)",)), ("13-trace-product", ("p (",))):
        r = check(name_, lambda *a: np.asarray(EXERCISES[name_].solution(*a)) * (1 + np.shape(a[0])[0]))
        assert "the hidden width" not in r.message and "(the number of outputs)" not in r.message


def test_attention_names_its_own_sizes():
    r = check("11-attention-dK", lambda Q, K, G: G.T @ Q / Q.shape[0])
    assert r.status == "mean instead of sum" and "divided by q (the number of queries)" in r.message, r
    r = check("13-trace-product", lambda A, B: A.T @ B.T * A.shape[0] * (-1) ** A.shape[1])
    assert "hidden width" not in r.message and "a size (H, m or p)" in r.message, r


# 6. round-off is told apart from structure ----------------------------------------------------------------

@pytest.mark.parametrize("name", ARRAYS + NUMBERS)
def test_round_off_is_not_blamed_on_structure(name):
    sol = EXERCISES[name].solution

    def noisy(*a):
        t = np.asarray(sol(*a), dtype=float)
        rng = np.random.default_rng(abs(hash(_key(a))) % 2**32)
        return t * (1 + 1e-7 * rng.standard_normal(t.shape)) + 1e-9 * rng.standard_normal(t.shape)
    result = check(name, noisy)
    assert result.status == "close, not exact", result
    assert "round-off" in result.message and "square" not in result.message
    assert_truthful(name, result)


def test_a_numerical_gradient_is_called_round_off():
    import helpers
    r = check("08-dX-matrix", lambda W, X, G: helpers.numerical_gradient(lambda X_: np.sum(G * (W @ X_)), X))
    assert r.status == "close, not exact" and "square" not in r.message, r
    r = check("06-xw", lambda X, G: helpers.numerical_gradient(lambda W_: np.sum(G * (X @ W_)),
                                                                np.ones((X.shape[1], G.shape[1]))))
    assert r or r.status == "close, not exact", r  # a linear loss: central differences may be exact enough


# 7. one-number answers: a mean instead of a sum is named ----------------------------------------------------

@pytest.mark.parametrize("name", [n for n in NUMBERS if any(isinstance(v, np.ndarray)
                                                            for v in _probes(n)[0][1].values())])
def test_one_number_mean_instead_of_sum(name):
    ex, sol, sizes = EXERCISES[name], EXERCISES[name].solution, _sizes_by_key(name)
    planted = {m.label for m in ex.mistakes}
    for dims, words in exercises._size_candidates(ex):
        values = {int(np.prod([getattr(s, d) for d in dims])) for s in sizes.values()}
        if len(values) < 3:
            continue
        answer = lambda *a, dims=dims: sol(*a) / np.prod([getattr(sizes[_key(a)], d) for d in dims])  # noqa
        result = check(name, answer)
        if result.status in planted:
            continue
        assert result.status == "mean instead of sum" and f"divided by {words}" in result.message, (dims, result)
        assert_truthful(name, result, answer)


def test_the_mean_in_the_two_entry_exercises():
    r = check("01-entry", lambda W, X, i, j: sum(W[i, k] * X[k, j] for k in range(X.shape[0])) / X.shape[0])
    assert r.status == "mean instead of sum" and "divided by m (the number of features)" in r.message, r
    r = check("02-chain-entry", lambda G, J, d, c: np.sum(G * J[:, :, d, c]) / G.size)
    assert r.status == "mean instead of sum" and "H·n" in r.message, r


# 8. a shape error raised inside the learner's function says which two shapes do not fit ----------------------

def _failing_pair(name):
    """Two 2-D array arguments whose product raises on the first probe but shares a size (a transpose fits)."""
    args = list(_probes(name)[0][1].values())
    for a in range(len(args)):
        for b in range(len(args)):
            A, B = args[a], args[b]
            if a != b and all(isinstance(v, np.ndarray) and v.ndim == 2 for v in (A, B)) and A.shape[1] != B.shape[0]:
                if {A.shape[0], A.shape[1]} & {B.shape[0], B.shape[1]}:
                    return a, b, A.shape, B.shape
    return None


@pytest.mark.parametrize("name", [n for n in ARRAYS if _failing_pair(n)])
def test_a_shape_error_inside_the_function_is_translated(name):
    a, b, sa, sb = _failing_pair(name)
    result = check(name, lambda *args: args[a] @ args[b])
    if result.status in {m.label for m in EXERCISES[name].mistakes}:
        return  # that product is a planted mistake, named as such
    assert result.status == "raised a shape error", result
    assert f"these two shapes do not chain: {sa} @ {sb}" in result.message, result
    assert "missing or extra transpose?" in result.message and "gufunc" not in result.message
    assert_truthful(name, result)
    truth = _truth(name, _probes(name)[0][1])
    if truth.ndim == 2 and truth.shape[0] != truth.shape[1] and min(truth.shape) > 1:
        sol = EXERCISES[name].solution
        result = check(name, lambda *args: sol(*args) + np.asarray(sol(*args)).T)
        assert result.status == "raised a shape error" and "entry by entry" in result.message, result
        assert "missing or extra transpose?" in result.message
        assert_truthful(name, result)


def test_the_issue_examples_of_shape_errors():
    for name, answer in (("15-both-sides", lambda W, X, Z, G, F: G @ X.T + F.T @ Z),
                         ("15-tied-weights", lambda W, X, G: G @ (W @ X).T + W @ G @ X.T),
                         ("13-trace-product", lambda A, B: A.T @ B)):
        r = check(name, answer)
        assert r.status == "raised a shape error" and "missing or extra transpose?" in r.message, r
        assert re.search(r"\(\d+, \d+\) (@|and) \(\d+, \d+\)", r.message), r
        assert_truthful(name, r)


# 9. pointers, words and the learner's own names ---------------------------------------------------------------

def test_every_planted_pointer_is_reached_by_then():
    for name, ex in EXERCISES.items():
        own = int(name.split("-")[0])
        for see in [ex.topic, *ex.see.values(), *(m.see for m in ex.mistakes)]:
            assert not see or int(see[0]) <= own, (name, see)


@pytest.mark.parametrize("name", NAMES)
def test_what_is_asked_is_named_for_odd_answers(name):
    ex, sol = EXERCISES[name], EXERCISES[name].solution
    r = check(name, lambda *a: str(sol(*a)))
    asked = {"shape": "a tuple of whole numbers", "number": "the value itself", "array": "as an array"}[ex.kind]
    assert r.status == "not a number" and asked in r.message, r
    if ex.kind == "number":
        r = check(name, lambda *a: (sol(*a), sol(*a)))
        assert r.status == "not one number" and "Shapes" not in r.message, r
        assert_truthful(name, r)


@pytest.mark.parametrize("name", NAMES)
def test_messages_use_the_learners_parameter_names(name):
    ex, sol = EXERCISES[name], EXERCISES[name].solution
    params = list(_probes(name)[0][1])
    mine = [p + "2" for p in params]
    wrong = eval(f"lambda {', '.join(mine)}: _wrong(({', '.join(mine)}))",  # noqa: S307 - a renamed signature
                 {"_wrong": lambda a: (np.asarray(sol(*a), dtype=float) + 1 if ex.kind != "shape"
                                       else tuple(v + 1 for v in sol(*a)))})
    result = check(name, wrong)
    assert not result
    described = re.findall(r"on the input ([^()]*(?:\([^()]*\)[^()]*)*?) \(", result.message)
    for text in described:
        for old, new in zip(params, mine):
            assert re.search(rf"(?<![\w.]){re.escape(new)}\b", text), (name, new, text)
            assert not re.search(rf"(?<![\w.]){re.escape(old)}( =| \()", text), (name, old, text)
    if not described:  # behaviour feedback of a one-number answer: the varied index under the learner's name
        for old, new in zip(params, mine):
            assert not re.search(rf"when {re.escape(old)}\b", result.message), (name, old, result)
    assert_truthful(name, result)


def test_the_sample_index_under_the_learners_name():
    r = check("08-dD-dX", lambda W, j: W + j)
    assert "j = " in r.message and "l = " not in r.message, r
    r = check("04-local", lambda X, d, l, c: X[c, 0])
    assert "does not change when l changes" in r.message, r


# H10's adversarial round: classes found with natural answers, each generated over the bank -------------------

def _has_fractions(name):
    return any(not np.all(_truth(name, a) == np.round(_truth(name, a))) for _, a in _probes(name))


@pytest.mark.parametrize("name", [n for n in ARRAYS + NUMBERS if _has_fractions(n)])
def test_an_integer_answer_is_called_whole_numbers(name):
    """int(...) of a right number, or astype(int) of a right array, loses the fractions: that is what is said,
    not "does not change when i changes" (a guess from two truncated values) nor a mere "all zeros"."""
    sol, kind = EXERCISES[name].solution, EXERCISES[name].kind
    answer = (lambda *a: int(sol(*a))) if kind == "number" else (lambda *a: np.asarray(sol(*a)).astype(int))
    result = check(name, answer)
    zero = all(not np.any(np.asarray(answer(*a.values()))) or np.array_equal(answer(*a.values()), _truth(name, a))
               for _, a in _probes(name))  # 0 wherever wrong (int of 1/H, of softmax entries): "all zeros"
    assert result.status == ("all zeros" if zero else "whole numbers only"), result
    assert "change" not in result.message and ("loop" in result.message) == zero, result
    if zero and kind == "number":
        assert "integer division" in result.message, result
    assert_truthful(name, result, answer)


def _first_matrix(a):
    return next(k for k, v in enumerate(a) if isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[0] != v.shape[1]
                or isinstance(v, np.ndarray) and v.ndim == 2 and k == len(a) - 1)


@pytest.mark.parametrize("name", ARRAYS)
def test_einsum_and_assignment_shape_errors_are_translated(name):
    """A shape error inside np.einsum, or from filling an array of the wrong shape, is a diagnosis naming the
    shapes, not numpy's message."""
    sol = EXERCISES[name].solution
    flipped = lambda *a: np.einsum("ij,ij->ij", a[_first_matrix(a)], a[_first_matrix(a)].T)  # noqa: E731
    def filled(*a):
        want = np.asarray(sol(*a))
        out = np.zeros(want.shape[::-1] if want.ndim == 2 and want.shape[0] != want.shape[1] else want.shape + (2,))
        out[...] = want
        return out
    for answer, words in ((flipped, "np.einsum cannot match your subscripts"), (filled, "puts an array of shape")):
        result = check(name, answer)
        assert result.status == "raised a shape error" and words in result.message, (name, result)
        assert "remapped" not in result.message and "could not broadcast" not in result.message, result
        assert_truthful(name, result, answer)


def test_a_float_input_is_shown_at_limited_precision_and_a_zero_number_is_0():
    r = check("15-l1-penalty", lambda W, X, G, lam: G @ X.T + 2 * lam * W)
    assert "lam = " in r.message and not re.search(r"lam = -?\d\.\d{4}", r.message), r
    r = check("03-fraction", lambda H, m, n: 0.0)
    assert r.status == "all zeros" and "your answer is 0 on every input" in r.message and "entry" not in r.message


@pytest.mark.parametrize("name", ARRAYS + NUMBERS)
def test_two_returned_values_and_a_global_array_are_named(name):
    sol = EXERCISES[name].solution
    result = check(name, lambda *a: (sol(*a), None))
    assert "return the answer alone" in result.message and "rectangular" not in result.message, result
    answer = eval("lambda *a: sol(*a) + STALE.sum()", {"sol": sol, "STALE": np.ones((2, 2))})  # noqa: S307
    result = check(name, answer)
    assert not result and "reads STALE, an array defined outside it" in result.message, result
    assert_truthful(name, result, answer)
    assert "defined outside" not in check(name, sol).message


@pytest.mark.parametrize("name", ARRAYS)
def test_a_product_of_plain_copies_that_does_not_chain_is_translated(name):
    """np.asarray(W) drops what the checker tracks; numpy's own matmul/dot message is still translated."""
    untracked = lambda *a: np.asarray(a[_first_matrix(a)]) @ np.asarray(a[_first_matrix(a)])  # noqa: E731
    dotted = lambda *a: np.dot(np.asarray(a[_first_matrix(a)]), np.asarray(a[_first_matrix(a)]))  # noqa: E731
    for answer in (untracked, dotted):
        result = check(name, answer)
        assert result.status == "raised a shape error" and "gufunc" not in result.message, (name, result)
        assert "not aligned" not in result.message and "chain" in result.message, (name, result)
        assert_truthful(name, result, answer)


@pytest.mark.parametrize("name", [n for n in NAMES if "products" in EXERCISES[n].forbid])
def test_the_matmul_operator_on_plain_copies_is_seen(name):
    """`@` between np.asarray copies escapes the tracked inputs; the operator in the code is still seen (it was
    "correct" for np.asarray(W).T @ np.asarray(G) in 08-dX-loop)."""
    sol = EXERCISES[name].solution
    for answer in (lambda *a: sol(*a) + 0.0 * float(np.asarray([1.0]) @ np.asarray([1.0])),
                   lambda *a: sol(*a) + 0.0 * float(np.matmul(np.asarray([1.0]), np.asarray([1.0])))):
        result = check(name, answer)
        assert result.status == "right values, but not as asked" and "`@`" in result.message, result
    assert check(name, sol), check(name, sol)
