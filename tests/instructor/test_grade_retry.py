"""grade.py grades a submission again when otter's kernel died before it ran anything, and only then."""
import importlib.util
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("grade", ROOT / ".ci" / "grade.py")
grade = importlib.util.module_from_spec(spec)
spec.loader.exec_module(grade)


class FakeOtter:
    """Stands in for `otter run`: the first `fail` runs print `log` and write no results."""
    calls = 0

    def __init__(self, fail, log):
        self.fail, self.log = fail, log

    def __call__(self, cmd, **kw):
        FakeOtter.calls += 1
        out = Path(cmd[cmd.index("-o") + 1])
        if FakeOtter.calls > self.fail:
            result = {"tests": [{"name": "ex", "score": 2, "max_score": 2, "output": ""}]}
            (out / "results.json").write_text(json.dumps(result))
        log = self.log if FakeOtter.calls <= self.fail else "done"
        return type("Proc", (), {"pid": 0, "communicate": lambda self, timeout=None: (log, None)})()


def _grade(monkeypatch, tmp_path, fail, log):
    FakeOtter.calls = 0
    monkeypatch.setattr(grade.subprocess, "Popen", FakeOtter(fail, log))
    nb = tmp_path / "s.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), nb)
    return grade.grade_one("s", "a", nb, tmp_path / "a.zip", [("ex", 2)], (5, 3), 60), FakeOtter.calls


def test_a_kernel_that_died_at_start_is_graded_again(monkeypatch, tmp_path):
    scores, calls = _grade(monkeypatch, tmp_path, 1, "RuntimeError: " + grade.KERNEL_START_FAILED)
    assert scores == {"ex": (2, "correct")} and calls == 2


def test_any_other_failure_is_not_graded_again(monkeypatch, tmp_path):
    scores, calls = _grade(monkeypatch, tmp_path, 1, "NameError: name 'x' is not defined")
    assert scores["ex"][0] == 0 and "NameError" in scores["ex"][1] and calls == 1


def test_a_kernel_that_keeps_dying_scores_zero_with_the_reason(monkeypatch, tmp_path):
    scores, calls = _grade(monkeypatch, tmp_path, 9, "RuntimeError: " + grade.KERNEL_START_FAILED)
    assert scores["ex"][0] == 0 and grade.KERNEL_START_FAILED in scores["ex"][1] and calls == 3
