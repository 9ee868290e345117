"""An nbgrader 0.9 course folder from the notebooks: COURSE/source/NN-title/NN-title.ipynb.

    python .ci/nbgrader_source.py COURSE NN [NN ...]

Each exercise cell (found by its closing `helpers.exercises.check("<name>", <fn>)`) becomes an nbgrader
answer cell (its `return None  # your code here` line marked as the solution region, which
nbgrader replaces by `raise NotImplementedError()`) followed by a locked, autograded grade cell whose output is the
score: `score("<name>", <fn>)` from helpers.grading prints the checker's feedback and returns the exercise's points
or 0. Then, in COURSE: `nbgrader generate_assignment NN-title` and, with submissions in
submitted/STUDENT/NN-title/, `nbgrader autograde NN-title`.
"""
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assign import CHECK, notebooks  # noqa: E402 - the same exercise finder as `make assignments`


def meta(grade_id, grade, solution, points=None):
    m = {"grade": grade, "solution": solution, "locked": not solution, "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


def source_notebook(path, cells):
    from helpers import grading

    nb = nbformat.read(path, as_version=4)
    by_index = {k: (name, fn) for k, name, fn in cells}
    out = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if k not in by_index:
            out.append(cell)
            continue
        name, fn = by_index[k]
        cell.source = CHECK.sub("", cell.source).rstrip() + "\n"
        stub = re.search(r"^( +)return None  # your code here$", cell.source, re.M)
        if stub:  # nbgrader replaces the marked lines only: the def line and the docstring stay
            pad = stub[1]
            cell.source = cell.source.replace(stub[0], f"{pad}### BEGIN SOLUTION\n{stub[0]}\n{pad}### END SOLUTION")
            cell.metadata.update(meta(f"answer-{name}", False, True))
        # else (a find-the-bug exercise: the cell holds code to fix): an ordinary cell that nbgrader keeps
        grade = nbformat.v4.new_code_cell("from helpers.grading import score\n\n"
                                          f'score("{name}", {fn})  # your points, under the checker\'s feedback')
        grade.metadata.update(meta(f"grade-{name}", True, False, grading.points(name)))
        out += [cell, grade]
    nb.cells = out
    nb.metadata.pop("widgets", None)
    return nb


def main():
    course, numbers = Path(sys.argv[1]), sys.argv[2:]
    for path, cells in notebooks(numbers).items():
        folder = course / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(path, cells), folder / path.name)
        print(f"{folder / path.name}: {len(cells)} graded exercise(s)")


if __name__ == "__main__":
    main()
