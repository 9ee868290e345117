"""axe-core (pinned in package-lock.json) over every static page: no critical or serious WCAG 2 A/AA violation.

Run with `make test-browser` (it builds _site/ and installs axe-core into build/npm/ with npm ci).  Each page is
checked after MathJax has typeset it and the widget snapshots are drawn.  The counts per page and rule land in
tests/browser/out/axe-site.json.
"""
import json
from pathlib import Path

import pytest

from test_site import SITE, browser, open_offline, server  # noqa: F401 - the fixtures are used by name

pytestmark = pytest.mark.browser
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


def site_pages():
    return [p.relative_to(SITE).as_posix() for p in sorted(SITE.glob("*.html")) + sorted(SITE.glob("solutions/*.html"))]


def settle(page):
    """Wait until MathJax has typeset the page and its widget snapshots are drawn."""
    if page.evaluate("() => !!window.MathJax"):
        page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.isReady === true", timeout=30000)
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        page.wait_for_function("() => document.querySelectorAll('.jupyter-widgets').length > 0", timeout=30000)
        page.wait_for_timeout(500)


RESULTS = {}


@pytest.fixture(scope="module")
def record():
    yield RESULTS
    OUT.mkdir(exist_ok=True)
    (OUT / "axe-site.json").write_text(json.dumps(RESULTS, indent=1, sort_keys=True))


@pytest.mark.parametrize("rel", site_pages() if SITE.is_dir() else ["index.html"])
def test_static_page_has_no_serious_axe_violation(server, browser, record, rel):  # noqa: F811
    page, _, _ = open_offline(browser, f"{server}/{rel}")
    try:
        settle(page)
        found = axe_violations(page)
        record[rel] = {v["rule"]: [v["impact"], v["nodes"]] for v in found}
        bad = blocking(found)
        assert bad == [], f"{rel}: " + json.dumps(bad, indent=1, ensure_ascii=False)
    finally:
        page.context.close()
