"""Grade a folder of submissions with otter's local runner (`otter run`, no Docker) and the assignments'
autograder.zip from .ci/assign.py; write one grade sheet and each student's feedback.

    python .ci/grade.py SUBMISSIONS [--assignments _build/assignments] [--out SUBMISSIONS-graded]

SUBMISSIONS holds notebooks (or otter's export zips) as STUDENT/NN-title.ipynb or STUDENT-NN-title.ipynb.
Writes OUT/grades.csv (a row per student, a column per exercise, the total; the first row the points
possible) and OUT/feedback/STUDENT/NN-title.txt (each exercise: points and the checker's message).
An exercise whose check runs longer than --exercise-seconds scores 0 ("did not finish"); a cell that
runs longer than --cell-seconds is stopped (its questions score 0, the rest is graded); a
submission still running after --timeout seconds is stopped and scores 0 with that reason.
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LIMIT_CELL = "import helpers.grading\n\nhelpers.grading.limit_cells({seconds}, {exercise})"


def assignments(folder):
    """{assignment name: (autograder.zip, [(exercise, points)])} as built."""
    out = {}
    for zip_path in sorted(Path(folder).glob("*/autograder.zip")):
        tests = sorted((zip_path.parent / "autograder" / "tests").glob("*.py"))
        order = _question_order(zip_path.parent / "student" / f"{zip_path.parent.name}.ipynb")
        exercises = []
        for test in tests:
            scope = {}
            exec(compile(_header(test), str(test), "exec"), scope)  # name and points only
            exercises.append((scope["name"], scope["points"]))
        exercises.sort(key=lambda e: order.index(e[0]) if e[0] in order else len(order))
        out[zip_path.parent.name] = (zip_path, exercises)
    return out


def _header(test):
    return "\n".join(line for line in test.read_text().splitlines() if line.startswith(("name =", "points =")))


def _question_order(student_nb):
    nb = nbformat.read(student_nb, as_version=4)
    return [c.source.split('"')[1] for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]


def find_submissions(folder, names):
    """[(student, assignment, path)] for every notebook or zip under folder."""
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.suffix not in (".ipynb", ".zip") or ".ipynb_checkpoints" in path.parts:
            continue
        name = next((n for n in names if n in path.name), None)
        if name is None:
            print(f"skipped {path}: its name contains no assignment name ({', '.join(names)})", file=sys.stderr)
            continue
        rel = path.relative_to(folder)
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem.replace(name, "").strip("-_ .") or path.stem
        found.append((student, name, path))
    return found


def _with_cell_limit(path, work, seconds, exercise):
    """A copy of the submission whose cells each stop after `seconds` (the limit is set in a first cell)."""
    if path.suffix != ".ipynb":
        return path
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(LIMIT_CELL.format(seconds=seconds, exercise=exercise)))
    copy = work / path.name
    nbformat.write(nb, copy)
    return copy


# A kernel that dies before it answers kernel_info never ran the student's code: its start failed (seen once
# in four runs of the demo grading with four submissions graded at once). Such a submission is graded again.
KERNEL_START_FAILED = "Kernel died before replying to kernel_info"


def grade_one(student, name, path, zip_path, exercises, limits, timeout, attempts=3):
    """{exercise: (score, message)} for one submission; never raises, never hangs past `timeout`."""
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work = Path(tmp)
        submission = _with_cell_limit(path, work, *limits)
        otter = Path(sys.executable).with_name("otter")
        cmd = [str(otter), "run", "--no-logo", "-a", str(zip_path), "-o", str(work), str(submission)]
        for _ in range(attempts):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    start_new_session=True)  # its own group: a timeout stops the kernel too
            try:
                log, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                why = f"grading stopped after {timeout} s (the notebook did not finish)"
                return {ex: (0, why) for ex, _ in exercises}
            if (work / "results.json").exists() or KERNEL_START_FAILED not in log:
                break
        results = work / "results.json"
        if not results.exists():
            why = f"otter could not grade this file: {log.strip().splitlines()[-1] if log.strip() else 'no output'}"
            return {ex: (0, why) for ex, _ in exercises}
        tests = {t["name"].split(" - ")[0]: t for t in json.loads(results.read_text()).get("tests", [])}
    out = {}
    for ex, _ in exercises:
        t = tests.get(ex)
        if t is None:
            out[ex] = (0, "not graded (no result)")
        else:
            passed = t.get("score", 0) >= t.get("max_score", 0)
            out[ex] = (t.get("score", 0), "correct" if passed else _message(t.get("output", "")))
    return out


def _message(output):
    """The checker's feedback from otter's test output (its line numbers and assert line dropped)."""
    text = output.split("AssertionError: ", 1)[-1] if "AssertionError: " in output else output
    return "\n".join(line.strip() for line in text.strip().splitlines())  # otter indents its output


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("submissions")
    parser.add_argument("--assignments", default=str(ROOT / "_build" / "assignments"))
    parser.add_argument("--out", help="default: SUBMISSIONS-graded next to the folder")
    parser.add_argument("--cell-seconds", type=int, default=60, help="seconds for one cell")
    parser.add_argument("--exercise-seconds", type=int, default=10, help="seconds for one exercise's check")
    parser.add_argument("--timeout", type=int, default=600, help="seconds for one whole submission")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = Path(args.submissions).resolve()
    out = Path(args.out or f"{folder}-graded")
    built = assignments(args.assignments)
    if not built:
        sys.exit(f"no assignments in {args.assignments}: run `make assignments` first")
    subs = find_submissions(folder, sorted(built, key=len, reverse=True))
    if not subs:
        sys.exit(f"no submissions (*.ipynb, *.zip named after an assignment) in {folder}")

    def run(sub):
        student, name, path = sub
        zip_path, exercises = built[name]
        return sub, grade_one(student, name, path, zip_path, exercises,
                                (args.cell_seconds, args.exercise_seconds), args.timeout)

    with ThreadPoolExecutor(args.jobs) as pool:
        graded = list(pool.map(run, subs))
    columns = [(ex, pts) for name in sorted({n for _, n, _ in subs}) for ex, pts in built[name][1]]
    shutil.rmtree(out / "feedback", ignore_errors=True)
    table = {}
    for (student, name, path), scores in graded:
        table.setdefault(student, {}).update({ex: s for ex, (s, _) in scores.items()})
        lines = [f"{student} · {name} · {sum(s for s, _ in scores.values()):g}/"
                 f"{sum(p for _, p in built[name][1]):g} points"]
        lines += [f"\n{ex}: {scores[ex][0]:g}/{pts:g}\n  " + scores[ex][1].replace("\n", "\n  ")
                  for ex, pts in built[name][1]]
        (out / "feedback" / student).mkdir(parents=True, exist_ok=True)
        (out / "feedback" / student / f"{name}.txt").write_text("\n".join(lines) + "\n")
    with open(out / "grades.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student"] + [ex for ex, _ in columns] + ["total"])
        w.writerow(["(points possible)"] + [f"{p:g}" for _, p in columns] + [f"{sum(p for _, p in columns):g}"])
        for student in sorted(table):
            row = [table[student].get(ex, 0) for ex, _ in columns]
            w.writerow([student] + [f"{s:g}" for s in row] + [f"{sum(row):g}"])
    print(f"{len(subs)} submission(s) of {len(table)} student(s) graded: {out / 'grades.csv'}, {out / 'feedback'}")


if __name__ == "__main__":
    main()
