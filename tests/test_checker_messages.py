"""What the checker's and the hints' words must say: each planted mistake's distinguishing words (issue 21), plain
text wrapped at word boundaries without TeX or repetition, hints that guide without giving the answer, and
find-the-bug exercises that say nothing until the learner has changed the function (issue 17)."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import EXERCISES, NOT_ATTEMPTED, RENAMED, check, hint, hints
from test_exercises import assert_no_leak

NAMES = sorted(EXERCISES)
ROOT = Path(__file__).resolve().parents[1]
WITH_MISTAKES = [n for n in NAMES if EXERCISES[n].mistakes]
ANSWERS = ["W.T @ G", "G @ X.T", "X.T @ G", "G @ W.T", "G.T @ Q", "G.T @ X", "X[c, j]", "X[c,j]", "1/H", "1 / H",
           "(H * m) * (H * n)", "8 * H * n * m * n", "m * n", "np.sign", "sign(W)", "np.kron(W", "1 - np.tanh",
           "G * B", "A.T @ B.T"]  # the solutions' own formulas: a hint never states one


# -- each planted mistake's message says its own words, and no other mistake's (issue 21) --------------------

@pytest.mark.parametrize("name", WITH_MISTAKES)
def test_each_mistake_says_its_own_words_and_no_others(name):
    ex = EXERCISES[name]
    results = {m.label: check(name, m.wrong) for m in ex.mistakes}
    for mistake in ex.mistakes:
        assert mistake.says, (name, mistake.label, "no distinguishing words pinned")
        mine = results[mistake.label]
        assert mine.status == mistake.label, (mistake.label, mine)
        for words in mistake.says:
            assert words in mine.message, (name, mistake.label, words, mine)
            for other in ex.mistakes:
                if other is not mistake:
                    assert words not in results[other.label].message, (name, words, other.label)
                    assert words not in other.message, (name, words, other.label)


def test_the_swap_of_two_messages_is_caught():
    """The bug planted by hand in issue 21: 15-both-sides' messages for "D's use only" and "E's use only"
    exchanged.  Done here on copies, the test above must then fail."""
    from dataclasses import replace
    ex = EXERCISES["15-both-sides"]
    d, e = ex.mistakes[0], ex.mistakes[1]
    swapped = replace(ex, mistakes=[replace(d, message=e.message), replace(e, message=d.message), *ex.mistakes[2:]])
    EXERCISES["15-both-sides"] = swapped
    try:
        with pytest.raises(AssertionError):
            test_each_mistake_says_its_own_words_and_no_others("15-both-sides")
    finally:
        EXERCISES["15-both-sides"] = ex


# -- plain text: wrapped, no TeX, no repetition (issue 17 §1) --------------------------------------------------

def _messages():
    """One message of every kind the generated wrong answers reach, per exercise (cheap: planted + a few)."""
    for name in NAMES:
        ex, sol = EXERCISES[name], EXERCISES[name].solution
        answers = [m.wrong for m in ex.mistakes]
        if ex.kind != "shape":
            answers += [lambda *a, s=sol: -np.asarray(s(*a), dtype=float),
                        lambda *a, s=sol: np.zeros(np.shape(s(*a)))]
        for answer in answers:
            yield name, check(name, answer)


def test_feedback_is_plain_wrapped_text_that_does_not_repeat_itself():
    repeats = []
    for name, r in _messages():
        text = repr(r)
        for line in text.splitlines():
            assert len(line) <= exercises.WIDTH or " " not in line.strip(), (name, line)
        assert " ".join(text.split()) == " ".join(f"{r.name}: {r.status}: {r.message}".split())  # words kept
        assert not re.search(r"\$|\\[A-Za-z]|[_^]\{", r.message), (name, r.message)
        label = {w for w in re.findall(r"[a-z]{4,}", r.status.lower())} - {"your", "answer", "right"}
        first = re.split(r"[:;.?]", r.message.lower())[0]  # "missing transpose: a transpose is missing"
        if label and label <= set(re.findall(r"[a-z]+", first)):
            repeats.append(repr(r))
    assert not repeats, repeats


def test_section_names_are_shown_without_tex():
    shown = exercises.where("02", "Every path from $W_{dc}$ to $L$")
    assert shown == "notebook 02, section “Every path from W_dc to L”"
    assert exercises.plain(r"$\partial L / \partial X_{cl}$ and $W^\top$") == "∂ L / ∂ X_cl and Wᵀ"
    for ex in EXERCISES.values():
        for see in [ex.topic, *ex.see.values(), *(m.see for m in ex.mistakes)]:
            if see:
                assert not re.search(r"\$|\\[A-Za-z]|[_^]\{|[{}]", exercises.where(*see)), see


@pytest.mark.parametrize("name", NAMES)
def test_hints_are_wrapped_plain_text_that_guides(name):
    for level, text in enumerate(hints(name), 1):
        shown = repr(exercises.Hint(name, level, len(hints(name)), text))
        assert all(len(line) <= exercises.WIDTH for line in shown.splitlines()), shown
        assert not re.search(r"\$|\\[A-Za-z]|[_^]\{", text), (name, text)
        assert "You should reach" not in text, (name, text)  # the answer, in index form
        for formula in ANSWERS:
            assert formula not in text, (name, formula, text)


INDEX_FORMS = {"11-attention-dK": ["sum_q G_qk Q_qd", "G_qk Q_qd"], "08-dX-matrix": ["(m, H) times (H, n)", "i first"],
               "06-xw": ["X_ic G_id"], "08-dX-xw": ["G_aj W_cj"]}


@pytest.mark.parametrize("name", sorted(INDEX_FORMS))
def test_hints_do_not_state_the_answer(name):
    for text in hints(name):
        for form in INDEX_FORMS[name]:
            assert form not in text, (name, form, text)


def test_the_fraction_exercise_says_when_every_surviving_entry_is_nonzero():
    text = " ".join(hints("03-fraction"))
    assert "no zero entry" in text
    r = check("03-fraction", lambda H, m, n: (H - 1) / H)
    assert "whatever X holds" in r.message


# -- find the bug: the untouched original is not attempted yet (issue 17 §4 item 8) --------------------------

FIND_BUG = [n for n in NAMES if EXERCISES[n].original is not None]


def _notebook_function(name):
    """The function the notebook hands out for exercise `name`, defined afresh from the notebook's source."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and f'check("{name}",' in source:
                fn_name = re.search(rf'check\("{name}", (\w+)\)', source).group(1)
                return _define(source.split("helpers.exercises.check")[0], f"<{path.stem} {name}>")[fn_name]
    return None


def _define(source, filename):
    """Run a cell's source with its text kept where inspect finds it, as Jupyter does for every cell."""
    import linecache
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the notebook's own definition
    return namespace
    return None


def test_find_the_bug_exercises_are_known():
    assert {"05-find-bug", "08-find-bug", "09-find-bug"} <= set(FIND_BUG)


@pytest.mark.parametrize("name", FIND_BUG)
def test_the_untouched_buggy_function_is_not_attempted_yet(name):
    ex = EXERCISES[name]
    for fn in (ex.original, _notebook_function(name)):
        if fn is None:
            continue  # the notebook no longer holds this exercise: the bank's copy is still checked
        r = check(name, fn)
        assert r.status == NOT_ATTEMPTED and "as given" in r.message, r
        for mistake in ex.mistakes:
            assert mistake.label not in r.message and not any(w in r.message for w in mistake.says), r
    # the same bug, once the learner has touched the function (a renamed variable), is diagnosed
    import inspect
    source = inspect.getsource(ex.original)
    source = re.sub(r"def \w+\(", "def edited(", source, count=1)
    source = source.replace("dW", "grad").replace("dX", "grad").replace("G @", "1.0 * G @")
    edited = _define(source, f"<edited {name}>")
    r = check(name, edited["edited"])
    assert r.status != NOT_ATTEMPTED and not r, r


def test_a_fixed_find_the_bug_function_is_correct():
    import inspect
    fixed = _define(inspect.getsource(EXERCISES["05-find-bug"].original).replace("X[j, c]", "X[c, j]"), "<fixed>")
    assert check("05-find-bug", fixed["dL_dW_buggy"])


# -- the dL/dX exercises live in notebook 08 now ------------------------------------------------------------------

def test_renamed_exercises_point_at_notebook_08():
    assert RENAMED == {"04-dD-dX": "08-dD-dX", "05-dX-loop": "08-dX-loop", "06-dX-matrix": "08-dX-matrix",
                       "07-dX-xw": "08-dX-xw"}
    headings = {line.lstrip("#").strip() for c in json.loads((ROOT / "notebooks/08-other-input.ipynb").read_text())[
        "cells"] if c["cell_type"] == "markdown" for line in "".join(c["source"]).splitlines() if line.startswith("#")}
    for old, new in RENAMED.items():
        ex = EXERCISES[new]
        assert old not in EXERCISES and ex.topic[0] == "08" and ex.topic[1] in headings, (new, ex.topic)
        assert "solutions/08-other-input-solutions.ipynb" in hints(new)[-1]
        # a notebook not yet moved still reaches the exercise under its old name
        assert check(old, ex.solution).status == "correct" and check(old, ex.solution).name == old
        assert check(old, ex.mistakes[0].wrong).status == ex.mistakes[0].label
        assert hint(old, 1).name == new
    assert_no_leak("08-dX-matrix", check("08-dX-matrix", lambda W, X, G: W @ G).message)
