"""Demo submissions for built assignments, made from the released notebook, the solution notebooks and the
exercise bank (nothing typed by hand): SUBMISSIONS/STUDENT/NN-title.ipynb for

    alice  every exercise solved (the solution notebook's cell)
    bob    typical mistakes: missing transpose, the other convention (the bank's own wrong answers), a sign
           slip and a mean instead of a sum (the solution negated / divided by n); the other exercises solved
    carol  blank: the released notebook as it is
    dave   one answer loops forever, one raises, one exercise cell deleted, and a stray cell that never ends

    python .ci/demo_submissions.py OUT [NN ...]   (default: the two assignments the mistakes fit best)

`expected()` says which exercise of which student should score 0 and what its feedback must name.
"""
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "_build" / "assignments"
CHECK = re.compile(r'^(?:result = )?helpers\.exercises\.check\("(?P<name>[^"]+)",\s*(?P<fn>\w+)\)', re.M)
KINDS = {"missing transpose": "transpose", "the other convention": r"D = W X|other convention|convention's"}


def solution_cells():
    """{exercise: (code defining the solution, its function name)} from notebooks/solutions/."""
    out = {}
    for path in sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            m = CHECK.search(cell.source) if cell.cell_type == "code" else None
            if m:
                out[m["name"]] = (cell.source[:m.start()].rstrip() + "\n", m["fn"])
    return out


def _mistake(name, kind):
    """(code that wraps `_right`, label the checker must name) or None when `kind` does not fit `name`."""
    from helpers.exercises import EXERCISES, PROBES

    ex = EXERCISES[name]
    if ex.kind != "array":
        return None
    if kind in KINDS:
        k = next((k for k, m in enumerate(ex.mistakes) if re.search(KINDS[kind], m.label)), None)
        if k is None:
            return None
        return (f"helpers.exercises.EXERCISES[{name!r}].mistakes[{k}].wrong(*args)  # demo: {kind}",
                ex.mistakes[k].label)
    if kind == "sign slip":
        return "-_right(*args)  # demo: a sign slip", "sign slip"
    s = PROBES[0]  # distinct sizes: the one axis of length n is the samples' axis
    args = list(ex.probe_args(s).values())
    where = next(((a, ax) for a, v in enumerate(args) for ax, d in enumerate(getattr(v, "shape", ()))
                  if d == s.n), None)
    if where is None:
        return None
    return f"_right(*args) / args[{where[0]}].shape[{where[1]}]  # demo: a mean over the samples", "mean"


def plan(names):
    """{exercise: (kind, code, label)}: each of the four typical mistakes planted once where it fits,
    at most one per exercise, and at least one exercise of each assignment left right."""
    out, kinds = {}, ["missing transpose", "the other convention", "sign slip", "mean instead of sum"]
    for name in names:
        for kind in kinds:
            m = _mistake(name, kind)
            if m:
                out[name] = (kind, *m)
                kinds.remove(kind)
                break
    return out


def _student_functions(nb, tests):
    """{exercise: (index of its cell, function name)} in a released notebook: the cell before each
    grader.check; the function's name is the one its test looks up."""
    out = {}
    for k, c in enumerate(nb.cells):
        if c.cell_type == "code" and c.source.startswith("grader.check("):
            name = c.source.split('"')[1]
            out[name] = (k - 1, re.search(r"\(env, '(\w+)'\)", (tests / f"{name}.py").read_text())[1])
    return out


def _released(assignment):
    folder = BUILT / assignment / "student"
    return nbformat.read(folder / f"{assignment}.ipynb", as_version=4), folder / "tests"


def _solved(solutions, name, fn):
    code, sol_fn = solutions[name]
    return code + ("" if sol_fn == fn else f"\n\n{fn} = {sol_fn}\n")


def make(assignment, out, mistakes):
    """Write the four demo students' notebooks for one built assignment."""
    solutions = solution_cells()
    for student in ("alice", "bob", "carol", "dave"):
        nb, tests = _released(assignment)
        fns = _student_functions(nb, tests)
        for i, (name, (index, fn)) in enumerate(fns.items()):
            cell = nb.cells[index]
            broken = student == "dave" and i < 3
            if (student == "alice" or (student == "bob" and name not in mistakes)
                    or (student == "dave" and not broken)):
                cell.source = _solved(solutions, name, fn)
            elif student == "bob" and name in mistakes:
                cell.source = (_solved(solutions, name, fn) + f"\n\n_right = {fn}\n\n\ndef {fn}(*args):\n"
                               f"    return {mistakes[name][1]}\n")
            elif student == "dave" and i == 0:
                cell.source = f"def {fn}(*args):\n    while True:  # demo: never ends\n        pass\n"
            elif student == "dave" and i == 1:
                cell.source = f"def {fn}(*args):\n    raise RuntimeError('demo: not finished')\n"
            elif student == "dave" and i == 2:
                cell.source = "# demo: this student deleted the exercise's cell"
        if student == "dave":
            nb.cells.append(nbformat.v4.new_code_cell("while True:  # demo: a stray cell that never ends\n    pass"))
        (out / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / student / f"{assignment}.ipynb")
    return fns


def expected(assignments):
    """{(student, exercise): (score is zero, a word the feedback must contain)} for the demo assignments."""
    fns = {a: _student_functions(*_released(a)) for a in assignments}
    names = [n for a in assignments for n in fns[a]]
    mistakes = plan(names)
    out = {}
    for a in assignments:
        for i, name in enumerate(fns[a]):
            out["alice", name] = (False, "correct")
            out["carol", name] = (True, "not attempted")
            out["bob", name] = (True, mistakes[name][2]) if name in mistakes else (False, "correct")
            dave = {0: "did not finish", 1: "RuntimeError", 2: "no function named"}
            out["dave", name] = (True, dave[i]) if i in dave else (False, "correct")
    return out, mistakes


def best_assignments(k=2):
    """The k built assignments where most of the four typical mistakes can be planted."""
    names = {a.name: list(_student_functions(*_released(a.name))) for a in sorted(BUILT.glob("[0-9][0-9]-*")) if (a / "autograder.zip").exists()}
    fit = {a: len({kind for n in ex for kind in ("missing transpose", "the other convention", "sign slip",
                                                "mean instead of sum") if _mistake(n, kind)}) + len(ex) / 10
           for a, ex in names.items()}
    return sorted(sorted(fit, key=fit.get, reverse=True)[:k])


def main():
    import helpers  # noqa: F401 - registers the bank

    out = Path(sys.argv[1])
    numbers = sys.argv[2:]
    chosen = ([a.name for a in sorted(BUILT.glob("[0-9][0-9]-*")) if a.name[:2] in numbers] if numbers
              else best_assignments())
    _, mistakes = expected(chosen)
    for a in chosen:
        make(a, out, mistakes)
    (out / "expected.json").write_text(json.dumps({"assignments": chosen, "mistakes": {
        n: [k, label] for n, (k, _, label) in mistakes.items()}}, indent=1))
    print(f"demo submissions for {', '.join(chosen)} in {out}")


if __name__ == "__main__":
    main()
