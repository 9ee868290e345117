"""The otter assignments, built from a fresh clone with real otter-grader (make test-instructor).

Builds every assignment; runs every released notebook unanswered; grades the demo submissions of the
assignment where the four typical mistakes fit best with `otter run` (no Docker)."""
import csv
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("otter", reason="instructor tools: make test-instructor installs them")

ROOT = Path(__file__).resolve().parents[2]
CHECK = re.compile(r'^helpers\.exercises\.check\("([^"]+)",\s*\w+\)\s*$', re.M)
TIMES = {}


def _run(args, cwd, **kw):
    env = dict(os.environ, PYTHONPATH=str(cwd))  # the clone's helpers, not the working tree's
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, check=True, text=True,
                          capture_output=True, **kw)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    repo = tmp_path_factory.mktemp("fresh") / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    return repo


@pytest.fixture(scope="module")
def built(clone):
    start = time.monotonic()
    _run([".ci/assign.py"], clone)
    TIMES["build"] = time.monotonic() - start
    return clone / "_build" / "assignments"


def _bank(clone):
    out = _run(["-c", "import helpers, json; print(json.dumps(sorted(helpers.exercises.EXERCISES)))"], clone)
    return set(json.loads(out.stdout))


def test_one_assignment_per_notebook_with_exercises(clone, built):
    bank = _bank(clone)
    want = {}
    for path in sorted((clone / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        names = [n for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
                 for n in CHECK.findall(c.source) if n in bank]
        if names:
            want[path.stem] = names
    assert want, "no exercise found in the notebooks"
    got = {d.name: sorted(p.stem for p in (d / "student" / "tests").glob("*.py")) for d in built.iterdir()
           if d.is_dir()}
    assert got == {k: sorted(v) for k, v in want.items()}


def test_autograder_zip_is_what_gradescope_runs(built):
    for folder in sorted(p for p in built.iterdir() if p.is_dir()):
        with zipfile.ZipFile(folder / "autograder.zip") as z:
            names = set(z.namelist())
            env = z.read("environment.yml").decode()
            config = json.loads(z.read("otter_config.json"))
        assert {"setup.sh", "run_autograder", "run_otter.py", "environment.yml", "otter_config.json",
                "files/helpers/exercises.py", "files/helpers/grading.py"} <= names, folder.name
        tests = {p.name for p in (folder / "student" / "tests").glob("*.py")}
        assert {f"tests/{t}" for t in tests} <= names
        conda, pip = env.split("- pip:")
        pip = [line.strip()[2:] for line in pip.splitlines() if line.strip()]
        assert pip and all(re.fullmatch(r"[\w.\[\],-]+==[\w.]+", p) for p in pip), env
        assert "otter-grader[grading,plugins]==7.0.0" in pip and "- python=3.11" in conda
        assert config["assignment_name"] == folder.name and config["pdf"] is False


def _solution_lines(clone):
    """Every substantial line of the solution notebooks' exercise cells that the released notebooks lack."""
    released = "\n".join(c.source for p in (clone / "notebooks").glob("[0-9][0-9]-*.ipynb")
                         for c in nbformat.read(p, as_version=4).cells)
    lines = set()
    for path in (clone / "notebooks" / "solutions").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and "helpers.exercises.check(" in cell.source:
                for line in cell.source.split("helpers.exercises.check(")[0].splitlines():
                    line = line.strip()
                    if len(line) > 12 and not line.startswith(("#", "def ", '"""', "result")) and line not in released:
                        lines.add(line)
    return lines


def test_no_solution_or_expected_value_is_released(clone, built):
    lines = _solution_lines(clone)
    assert lines, "found no solution code to look for"
    for folder in sorted(p for p in built.iterdir() if p.is_dir()):
        nb = nbformat.read(folder / "student" / f"{folder.name}.ipynb", as_version=4)
        assert not [c for c in nb.cells if c.cell_type == "code" and c.get("outputs")], "outputs released"
        assert "widgets" not in nb.metadata
        assert not [c for c in nb.cells if "answer" in c.metadata.get("tags", []) or "<b>Answer</b>" in c.source]
        texts = [c.source for c in nb.cells] + [p.read_text() for p in (folder / "student" / "tests").glob("*")]
        for text in texts:
            leaked = [line for line in lines if line in text]
            assert not leaked, (folder.name, leaked[:3])
        for test in (folder / "student" / "tests").glob("*.py"):
            body = test.read_text().split("def test_", 1)[1]
            assert re.findall(r"\d+\.\d+|np\.|@|\.T\b", body) == [], (test, body)  # no value, no formula
            assert "grading.result(" in body


def _execute(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def test_every_released_notebook_runs_unanswered(built):
    folders = sorted(p for p in built.iterdir() if p.is_dir())
    start = time.monotonic()
    with ThreadPoolExecutor(3) as pool:  # kernels start and wait: 3 at once keep two cores busy
        runs = list(pool.map(lambda f: _execute(f / "student" / f"{f.name}.ipynb"), folders))
    TIMES["run released"] = time.monotonic() - start
    for folder, nb in zip(folders, runs):
        checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
        assert checks, folder.name
        for cell in checks:
            text = json.dumps(cell.outputs)
            assert "not attempted" in text or "bug still there" in text, (folder.name, cell.source, text[:300])


@pytest.fixture(scope="module")
def graded(clone, built, tmp_path_factory):
    demo = tmp_path_factory.mktemp("submissions") / "demo"
    numbers = _run(["-c", "import importlib.util as u, sys; s = u.spec_from_file_location('d', '.ci/demo_submissions.py');"
                    " m = u.module_from_spec(s); s.loader.exec_module(m); print(' '.join(a[:2] for a in m.best_assignments(1)))"],
                   clone).stdout.split()
    _run([".ci/demo_submissions.py", str(demo), *numbers], clone)
    start = time.monotonic()
    limits = ["--cell-seconds", "5", "--exercise-seconds", "3", "--timeout", "240"]
    _run([".ci/grade.py", str(demo), *limits], clone, timeout=600)
    TIMES["grade 4 demo submissions"] = time.monotonic() - start
    out = demo.parent / "demo-graded"
    rows = list(csv.reader(open(out / "grades.csv")))
    print(f"\ntimes (s): {', '.join(f'{k} {v:.0f}' for k, v in TIMES.items())}\n" + (out / "grades.csv").read_text())
    return demo, out, rows


def _feedback(out, student):
    return "\n".join(p.read_text() for p in sorted((out / "feedback" / student).glob("*.txt")))


def test_demo_grade_sheet(clone, graded):
    demo, out, rows = graded
    header, possible, *students = rows
    assert header[0] == "student" and header[-1] == "total" and possible[0] == "(points possible)"
    scores = {r[0]: dict(zip(header[1:], map(float, r[1:]))) for r in students}
    assert set(scores) == {"alice", "bob", "carol", "dave"}
    points = dict(zip(header[1:], map(float, possible[1:])))
    spec = json.loads((demo / "expected.json").read_text())
    expected = _run(["-c", "import importlib.util as u, json, sys; s = u.spec_from_file_location('d', "
                     "'.ci/demo_submissions.py'); m = u.module_from_spec(s); s.loader.exec_module(m); import helpers;"
                     f" e, _ = m.expected({spec['assignments']!r}); print(json.dumps([[k[0], k[1], z, w] for k, (z, w) in e.items()]))"],
                    clone).stdout
    kinds = {k for k, _ in spec["mistakes"].values()}
    assert kinds == {"missing transpose", "the other convention", "sign slip", "mean instead of sum"}
    for student, exercise, zero, word in json.loads(expected):
        got = scores[student][exercise]
        assert got == (0 if zero else points[exercise]), (student, exercise, got, _feedback(out, student))
        block = _feedback(out, student).split(f"\n{exercise}: ", 1)[1].split("\n\n")[0]
        assert word in block, (student, exercise, word, block)
    assert scores["alice"]["total"] == points["total"] and scores["carol"]["total"] == 0


def test_grader_check_gives_the_checkers_feedback_with_hints(clone, built):
    """In a released folder, as a student: grader.check on a planted mistake names it and gives a hint."""
    name = next(n for n, (k, _) in json.loads(json.dumps(_mistakes(clone, built))).items() if k == "missing transpose")
    folder = next(f for f in built.iterdir() if (f / "student" / "tests" / f"{name}.py").exists())
    fn = re.search(r"\(env, '(\w+)'\)", (folder / "student" / "tests" / f"{name}.py").read_text())[1]
    code = (f"import otter, helpers\ngrader = otter.Notebook({folder.name + '.ipynb'!r})\n"
            f"ex = helpers.exercises.EXERCISES[{name!r}]\n"
            f"{fn} = next(m.wrong for m in ex.mistakes if 'transpose' in m.label)\n"
            f"print(repr(grader.check({name!r})))\n{fn} = ex.solution\nprint(repr(grader.check({name!r})))")
    out = _run(["-c", code], folder / "student").stdout
    failed, passed = out.split(f"{name} results: All test cases passed!")[0], out
    assert "transpose" in failed and "Stuck? Hint 1/" in failed
    assert "All test cases passed" in passed


def _mistakes(clone, built):
    code = ("import importlib.util as u, json; s = u.spec_from_file_location('d', '.ci/demo_submissions.py');"
            " m = u.module_from_spec(s); s.loader.exec_module(m); import helpers;"
            " names = [n for a in m.best_assignments(1) for n in m._student_functions(*m._released(a))];"
            " print(json.dumps({n: [k, l] for n, (k, _, l) in m.plan(names).items()}))")
    return json.loads(_run(["-c", code], clone).stdout)
