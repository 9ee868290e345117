"""helpers.grading: the checker's verdict as (passed, message), its points and time limits (no otter needed)."""
import signal
import time

import pytest

pytest.importorskip("otter", reason="instructor tests: make test-instructor")

import helpers  # noqa: E402,F401 - registers the bank
from helpers import grading  # noqa: E402
from helpers.exercises import EXERCISES, NOT_ATTEMPTED


def _array_exercise():
    return next(name for name, ex in EXERCISES.items() if ex.kind == "array" and ex.mistakes)


def test_every_exercise_has_positive_points_listed_once():
    assert {grading.points(name) for name in EXERCISES} <= set(grading.POINTS.values())
    assert all(grading.points(name) > 0 for name in EXERCISES)


def test_the_solution_passes_and_says_only_correct():
    name = _array_exercise()
    assert grading.result(name, EXERCISES[name].solution) == (True, f"{name}: correct")


def test_a_named_mistake_fails_with_its_label_and_a_hint_but_no_number():
    name = _array_exercise()
    mistake = EXERCISES[name].mistakes[0]
    passed, message = grading.result(name, mistake.wrong)
    assert not passed
    assert mistake.label in message and "Stuck? Hint 1/" in message


def test_a_blank_answer_is_not_attempted_and_gets_no_hint():
    name = _array_exercise()
    passed, message = grading.result(name, lambda *args: None)
    assert not passed and NOT_ATTEMPTED in message and "Hint" not in message


def test_an_endless_loop_is_stopped_within_the_limit():
    name = _array_exercise()

    def loops(*args):
        while True:
            pass

    start = time.monotonic()
    passed, message = grading.result(name, loops, seconds=1)
    assert not passed and "did not finish within 1 s" in message
    assert time.monotonic() - start < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind


def test_a_loop_that_swallows_exceptions_is_still_stopped():
    name = _array_exercise()

    def swallows(*args):
        while True:
            try:
                pass
            except Exception:  # noqa: BLE001 - what a learner might write
                pass

    assert not grading.result(name, swallows, seconds=1)[0]


def test_an_outer_time_limit_survives_an_inner_one():
    with grading.time_limit(30):
        with grading.time_limit(1):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < remaining <= 30


def test_a_deleted_cell_is_named():
    name = _array_exercise()
    passed, message = grading.result(name, ({}, "dL_dX"))
    assert not passed and "no function named dL_dX" in message


def test_nbgrader_score_is_the_points_or_zero(capsys):
    name = _array_exercise()
    assert grading.score(name, EXERCISES[name].solution) == grading.points(name)
    assert grading.score(name, EXERCISES[name].mistakes[0].wrong) == 0
    assert EXERCISES[name].mistakes[0].label in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_messages_never_hold_the_answer(name):
    """What a wrong answer hears contains no number the right answer holds (a probe's entries)."""
    ex = EXERCISES[name]
    for wrong in [m.wrong for m in ex.mistakes][:2]:
        _, message = grading.result(name, wrong)
        truth = ex.solution(*ex.probe_args(ex.probes[0]).values())
        values = {f"{float(v):.3f}" for v in __import__("numpy").ravel(truth) if abs(float(v)) > 1.5}
        assert not any(v in message for v in values), (name, message)


def test_a_replaced_checker_is_refused(monkeypatch):
    name = _array_exercise()
    monkeypatch.setattr(grading.exercises, "check", lambda *args: True)
    passed, message = grading.result(name, EXERCISES[name].solution)
    assert not passed and "was replaced" in message
