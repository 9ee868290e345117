"""axe-core (pinned in package-lock.json, installed into build/npm/ by `make site`): WCAG 2 A/AA violations
of a page or part of it, and the JSON record of them that parallel test workers share."""
import fcntl
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"
AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}


def axe_violations(page, context="document", rules=None, seen=None):
    """axe.run over `context` with the WCAG 2 A/AA rules (or only `rules`): a list of {rule, impact, nodes,
    targets, help} for each violated rule.  context: "document", a CSS selector, a list of them (every match
    of each), or {"exclude": [selectors]} (the document without those).  seen (a dict), if given, gets the
    numbers of elements whose colour contrast axe passed and could not decide ("incomplete")."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make site` (it runs npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async ([context, tags, rules]) => {
             const all = s => [...document.querySelectorAll(s)];
             const where = context === 'document' ? document
               : typeof context === 'string' ? {include: all(context)}
               : Array.isArray(context) ? {include: context.flatMap(all)}
               : {include: [document], exclude: context.exclude.flatMap(all)};
             if (where.include && !where.include.length) return [];
             const only = rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags};
             const r = await axe.run(where, {runOnly: only});
             const count = list => list.filter(x => x.id === 'color-contrast').reduce((a, x) => a + x.nodes.length, 0);
             window.axeSeen = {'contrast passed': count(r.passes), 'contrast undecided': count(r.incomplete)};
             return r.violations.map(v => ({rule: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
                                            targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: '
                                                     + (n.failureSummary || '').slice(0, 160))}));
           }""", [context, TAGS, rules])
    if seen is not None:
        seen.update(page.evaluate("() => window.axeSeen"))
    return found


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


def by_rule(violations):
    return {v["rule"]: [v["impact"], v["nodes"]] for v in violations}


def record(name, entries):
    """Merge `entries` into out/<name> (a JSON object): each parallel worker adds its own pages, under a lock.
    conftest.py empties out/ of these records when a run starts."""
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    with open(OUT / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(path.read_text()) if path.exists() else {}
        data.update(entries)
        path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))
