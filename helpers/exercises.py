"""Exercise checkers: each exercise knows how to compute its own answer, so no notebook shows it.

check(name, answer, **inputs) returns an ExerciseResult: "not attempted yet" while the answer is the
placeholder None (so Run All and CI pass on an untouched notebook), else correct or not with a reason.
"""
from dataclasses import dataclass

import numpy as np

from .checks import rel_error


@dataclass
class ExerciseResult:
    name: str
    status: str  # "correct", "not attempted yet", "wrong"
    message: str = ""

    def __bool__(self):
        return self.status == "correct"

    @property
    def attempted(self):
        return self.status != "not attempted yet"

    def __repr__(self):
        return f"{self.name}: {self.status}" + (f": {self.message}" if self.message else "")


EXERCISES = {}


def exercise(name):
    """Register the function that computes exercise `name`'s expected answer from its inputs."""
    def register(fn):
        EXERCISES[name] = fn
        return fn
    return register


def check(name, answer, **inputs):
    """Compare answer with exercise `name`'s expected value, computed here from inputs."""
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {name!r}; known: {sorted(EXERCISES)}")
    if answer is None or answer is Ellipsis:
        return ExerciseResult(name, "not attempted yet", "replace None with your answer and run the cell again")
    expected = EXERCISES[name](**inputs)
    if isinstance(expected, tuple):
        ok = tuple(answer) == expected if np.ndim(answer) == 1 else False
        return ExerciseResult(name, "correct" if ok else "wrong", "" if ok else f"{tuple(np.ravel(answer))} is not it")
    answer = np.asarray(answer, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if answer.shape != expected.shape:
        return ExerciseResult(name, "wrong", f"your answer has shape {answer.shape}, the answer has shape {expected.shape}")
    if np.allclose(answer, expected, rtol=1e-6, atol=1e-9):
        return ExerciseResult(name, "correct")
    return ExerciseResult(name, "wrong", f"right shape, wrong values (max rel err {rel_error(answer, expected):.1e})")


@exercise("01-entry")
def _entry(W, X):
    return (W @ X)[1, 2]


@exercise("01-grad-shape")
def _grad_shape(H, m, n):
    return (H, m)


@exercise("02-chain-entry")
def _chain_entry(G, J):
    return np.einsum("ij,ijdc->dc", G, J)[1, 2]


@exercise("02-count")
def _count(H, m, n):
    return H * n * H * m


@exercise("03-fraction")
def _fraction(H, m, n):
    return 1 / H


@exercise("03-slice")
def _slice(X, H):
    J12 = np.zeros((H, X.shape[0]))
    J12[1] = X[:, 2]
    return J12


@exercise("04-local")
def _local(X):
    return X[2, 3]


@exercise("04-dD-dX")
def _dD_dX(W):
    return W


@exercise("05-dX-loop")
def _dX_loop(G, W):
    return W.T @ G


@exercise("05-find-bug")
def _find_bug(G, X):
    return G @ X.T


@exercise("06-dX-matrix")
def _dX_matrix(G, W):
    return W.T @ G


@exercise("06-xw")
def _xw(X, G):
    return X.T @ G
