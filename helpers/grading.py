"""Grading on top of the exercise checker: one exercise's (passed, feedback) without printing, its points,
and time limits, for autograders (otter-grader's tests call `result`; nbgrader's grade cells call `score`).

    result(name, fn)        -> (passed, message): the checker's verdict, its named mistake and pointer, and the
                               next hint when it fails; never the answer
    points(name)            -> the exercise's points: listed once here, in POINTS
    score(name, fn)         -> points(name) when right, else 0 (prints the feedback)
    limit_cells(seconds)    -> every later notebook cell is stopped after `seconds` (used while grading)

The checker (helpers.exercises) stays the one judge of what is right and what a mistake is called.
"""
import contextlib
import signal
import threading

from . import exercises

# Points per exercise, by what the answer is: a gradient or other array earns more than a number or a shape.
# An exercise registered with its own `points` attribute keeps it.
POINTS = {"array": 2, "number": 1, "shape": 1}
SECONDS = 10  # one exercise's whole check (six probes and the diagnosis) must finish within this


_CHECK_CODE = exercises.check.__code__  # a notebook that swaps the checker for `lambda *a: True` is told so


class TimeLimit(BaseException):
    """Raised inside the learner's code when its time is up (a BaseException: `except Exception` lets it by)."""


def points(name):
    """The points exercise `name` is worth."""
    ex = exercises.EXERCISES[name]
    return getattr(ex, "points", None) or POINTS[ex.kind]


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeLimit in this block after `seconds`; restores an outer limit. No-op where signals are not
    available (Windows, Pyodide, a thread other than the main one)."""
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        yield
        return

    def stop(signum, frame):
        raise TimeLimit(f"stopped after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - seconds, 0.01))


def result(name, fn, seconds=None, hint=True):
    """(passed, message) for the learner's `fn` on exercise `name`, without printing.

    `fn` may also be a dict of globals and a function name: (env, "fn_name"), as an otter test receives them."""
    if isinstance(fn, tuple):
        env, fn_name = fn
        if fn_name not in env:
            return False, (f"{name}: no function named {fn_name} in the notebook: was its cell deleted or renamed?"
                           f" Define {fn_name} again (as in the released notebook) and run its cell.")
        fn = env[fn_name]
    seconds = seconds or SECONDS
    if getattr(exercises.check, "__code__", None) is not _CHECK_CODE:
        return False, (f"{name}: helpers.exercises.check was replaced in this notebook, so it cannot be graded"
                       " here: restart the kernel and run the notebook as released")
    try:
        with time_limit(seconds):
            verdict = exercises.check(name, fn)
    except TimeLimit:
        return False, (f"{name}: did not finish within {seconds} s on the checker's six small inputs: an endless"
                       " loop, or a loop bound that never ends? Check every `while` and loop bound.")
    except Exception as exc:  # noqa: BLE001 - a learner's object the checker could not even inspect
        return False, f"{name}: the check could not run your answer ({type(exc).__name__}: {exc})"
    if verdict:
        return True, f"{name}: correct"
    message = f"{name}: {verdict.status}: {verdict.message}"
    if hint and verdict.status != exercises.NOT_ATTEMPTED:
        h = exercises.hint(name)
        message += f"\nStuck? Hint {h.level}/{h.of}: {h.text}"
    return False, message


def score(name, fn, seconds=None):
    """nbgrader's grade cell: print the feedback, return the points earned (all or nothing)."""
    passed, message = result(name, fn, seconds)
    print(message)
    return points(name) if passed else 0


def limit_cells(seconds, exercise_seconds=None):
    """Stop every later cell of this IPython kernel after `seconds` (TimeLimit), so that a cell that loops
    forever costs its own questions only (and give each exercise's check `exercise_seconds`). Otter's final cell (which runs the remaining tests) is spared."""
    from IPython import get_ipython

    global SECONDS
    SECONDS = exercise_seconds or SECONDS
    shell = get_ipython()
    if shell is None or not hasattr(signal, "setitimer"):
        return

    def stop(signum, frame):
        raise TimeLimit(f"this cell was stopped after {seconds} s (an endless loop?)")

    def arm(info):
        if "GradingResults(" not in (info.raw_cell or ""):
            signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, seconds)

    def disarm(result):
        signal.setitimer(signal.ITIMER_REAL, 0)

    shell.events.register("pre_run_cell", arm)
    shell.events.register("post_run_cell", disarm)
