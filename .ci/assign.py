"""Build one otter-grader assignment per notebook with exercises: _build/assignments/NN-title/.

    python .ci/assign.py [--out _build/assignments] [NN ...]

Nothing here lists an exercise: each is found in notebooks/NN-*.ipynb by its closing line
`helpers.exercises.check("<name>", <fn>)`; its points come from helpers.grading.points. For each notebook this
writes an otter master notebook (the notebook itself, each exercise cell turned into an otter question whose
one exception-based test calls the checker) and runs `otter assign`, which writes
    student/      the notebook to hand out (no outputs, no folded "Answer" blocks, no cell tagged `answer`,
                  no check line; `grader.check("<name>")` after each
                  exercise), its tests/ (the same test: it calls the checker, which holds no answer) and helpers/
    autograder/   otter's files and autograder.zip, the Gradescope zip that `otter run` also grades locally.
"""
import argparse
import contextlib
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHECK = re.compile(r'^helpers\.exercises\.check\("(?P<name>[^"]+)",\s*(?P<fn>\w+)\)\s*$', re.M)
ANSWER = re.compile(r"<details>\s*<summary>\s*<b>Answer</b>.*?</details>", re.S)  # a folded worked answer
# what grading needs besides otter: the helpers' own dependencies, pinned as learners have them
GRADING_PACKAGES = ("numpy", "matplotlib", "pillow", "ipywidgets", "ipykernel", "nbformat")


def exercise_cells(nb):
    """[(cell index, exercise name, function name)] of a notebook, in order."""
    found = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found += [(k, m["name"], m["fn"]) for m in CHECK.finditer(cell.source)]
    return found


def notebooks(numbers=()):
    """The notebooks with exercises, {path: [(index, name, fn)]}."""
    from helpers.exercises import EXERCISES
    out = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        if numbers and path.name[:2] not in numbers:
            continue
        cells = exercise_cells(nbformat.read(path, as_version=4))
        unknown = [name for _, name, _ in cells if name not in EXERCISES]
        if unknown:  # mid-rename: the notebook names an exercise the bank does not (yet) hold
            print(f"{path.name}: skipped {', '.join(unknown)}: not in the exercise bank", file=sys.stderr)
            cells = [c for c in cells if c[1] not in unknown]
        if cells:
            out[path] = cells
    return out


def raw(text):
    return nbformat.v4.new_raw_cell(text)


def test_source(name, fn, pts):
    func = "test_" + re.sub(r"\W", "_", name)
    return (f'""" # BEGIN TEST CONFIG\npoints: {pts}\n""" # END TEST CONFIG\n'
            f"def {func}(env):\n"
            "    from helpers import grading  # the checker judges; this test only passes on its verdict\n\n"
            f'    passed, feedback = grading.result("{name}", (env, "{fn}"))\n'
            "    assert passed, feedback\n")


def master_notebook(path, cells):
    """The otter master notebook for one course notebook."""
    from helpers import grading

    nb = nbformat.read(path, as_version=4)
    config = {
        "name": path.stem, "requirements": "requirements.txt", "files": ["helpers"],
        "init_cell": True, "check_all_cell": False, "run_tests": False, "solutions_pdf": False,
        "export_cell": {"pdf": False, "run_tests": False, "instructions": "Save this notebook, then run this cell: it writes the"
                        " zip file to hand in."},
        "tests": {"files": True, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": False, "show_all_public": True},
        "python_version": "3.11",
    }
    out = [raw("# ASSIGNMENT CONFIG\n" + json.dumps(config, indent=1))]
    by_index = {k: (name, fn) for k, name, fn in cells}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("<!--NAVIGATION-->"):
            continue  # links to neighbouring notebooks that an assignment folder does not hold
        if "answer" in cell.metadata.get("tags", []):
            continue  # a cell that shows an exercise's answer (tag `answer`): not in a graded release
        if cell.cell_type == "markdown":
            cell.source = ANSWER.sub("*(The answer is not part of this assignment.)*", cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if k not in by_index:
            out.append(cell)
            continue
        name, fn = by_index[k]
        pts = grading.points(name)
        cell.source = CHECK.sub("", cell.source).rstrip() + "\n"
        out += [raw(f"# BEGIN QUESTION\nname: {name}\npoints: {pts}"), cell,
                raw("# BEGIN TESTS"), nbformat.v4.new_code_cell(test_source(name, fn, pts)),
                raw("# END TESTS"), raw("# END QUESTION")]
    nb.cells = out
    nb.metadata.pop("widgets", None)
    return nb


def unlock(student, fns):
    """otter locks a question's cells; the learner must be able to edit the function they write."""
    nb = nbformat.read(student, as_version=4)
    for cell in nb.cells:
        # the cell that defines fn, as a function or as a value (`fn = adapter(method)`, notebook 16)
        if cell.cell_type == "code" and any(re.search(rf"^(def {fn}\(|{fn} = )", cell.source, re.M)
                                            for fn in fns):
            for key in ("editable", "deletable"):
                cell.metadata.pop(key, None)
    nbformat.write(nb, student)


def requirements():
    """Pins for the grading environment, taken from requirements.txt (the learners' versions)."""
    keep = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.split("==")[0].strip().lower() in GRADING_PACKAGES]
    return "\n".join(keep) + "\n"  # otter adds its own pin, otter-grader[grading,plugins]==7.0.0


def build(path, cells, out):
    work = out / path.stem
    shutil.rmtree(work, ignore_errors=True)
    master = work / "master"
    master.mkdir(parents=True)
    shutil.copytree(ROOT / "helpers", master / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    (master / "requirements.txt").write_text(requirements())
    nbformat.write(master_notebook(path, cells), master / path.name)
    from otter.assign import main as otter_assign  # in this process: otter imports once, not per notebook

    here = os.getcwd()
    try:
        os.chdir(master)
        with contextlib.redirect_stdout(io.StringIO()):
            otter_assign(path.name, "../dist", no_pdfs=True)
    finally:
        os.chdir(here)
    dist = work / "dist"
    shutil.move(dist / "student", work / "student")
    shutil.move(dist / "autograder", work / "autograder")
    shutil.rmtree(dist)
    unlock(work / "student" / path.name, [fn for _, _, fn in cells])
    zips = sorted((work / "autograder").glob("*.zip"))
    shutil.copy(zips[-1], work / "autograder.zip")
    return [(name, fn) for _, name, fn in cells]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("numbers", nargs="*", help="two-digit notebook numbers (default: every notebook)")
    parser.add_argument("--out", default=str(ROOT / "_build" / "assignments"))
    args = parser.parse_args()
    from helpers import grading

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = ["| assignment | exercise | points |", "| --- | --- | --- |"]
    for path, cells in notebooks(args.numbers).items():
        for name, _ in build(path, cells, out):
            table.append(f"| {path.stem} | {name} | {grading.points(name)} |")
        print(f"{path.stem}: {len(cells)} exercise(s) -> {out / path.stem}")
    (out / "POINTS.md").write_text("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
