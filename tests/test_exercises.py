"""Every exercise: the checker accepts the solution, names each planted mistake, and does not invent a
diagnosis for a random answer of the right shape."""
import numpy as np
import pytest

from helpers.exercises import EXERCISES, NOT_ATTEMPTED, check

NAMES = sorted(EXERCISES)
ARRAY_NAMES = [n for n in NAMES if np.ndim(EXERCISES[n].solution(**EXERCISES[n].probes()[-1])) == 2]


@pytest.mark.parametrize("name", NAMES)
def test_solution_is_accepted(name):
    assert check(name, EXERCISES[name].solution)


@pytest.mark.parametrize("name", NAMES)
def test_each_planted_mistake_is_named(name):
    for label, (wrong, _) in EXERCISES[name].variants.items():
        result = check(name, wrong)
        assert not result and result.status == label, (label, result)


@pytest.mark.parametrize("name", NAMES)
def test_placeholder_is_not_attempted_and_never_breaks_run_all(name):
    assert check(name, None).status == NOT_ATTEMPTED
    assert check(name, lambda **kw: None).status == NOT_ATTEMPTED


@pytest.mark.parametrize("name", ARRAY_NAMES)
def test_generic_mistakes(name):
    solution = EXERCISES[name].solution
    rng = np.random.default_rng(0)
    assert check(name, lambda **kw: -solution(**kw)).status == "sign slip"
    assert check(name, lambda **kw: solution(**kw) / 4).status == "mean instead of sum"  # the square probe is 4 x 4 x 4
    assert check(name, lambda **kw: 0.5 * solution(**kw)).status == "constant factor"
    random = check(name, lambda **kw: rng.standard_normal(np.shape(solution(**kw))))
    assert random.status == "does not match" and "expected" in random.message
    raised = check(name, lambda **kw: np.ones((2, 3)) @ np.ones((4, 5)))
    assert raised.status == "raised an error" and "matmul" in raised.message


def test_wrong_shape_names_the_operands():
    r = check("06-dX-matrix", lambda W, X, G: G @ X.T)
    assert r.status == "wrong shape" and "(3, 4)" in r.message and "W (3, 4), G (3, 5)" in r.message
    assert "fit by transposing W" in r.message and "@" not in r.message
    r = check("06-dX-matrix", lambda W, X, G: (W.T @ G).T + 1)
    assert r.status == "wrong shape" and "transpose of the right shape" in r.message


def test_messages_never_print_the_solution_formula():
    for name, ex in EXERCISES.items():
        for label, (wrong, message) in ex.variants.items():
            assert "W.T @ G" not in message and "G @ X.T" not in message and "X.T @ G" not in message


def test_misuse():
    assert check("06-xw", 42).status == "not a function"
    with pytest.raises(ValueError, match="unknown exercise"):
        check("no-such-exercise", None)
