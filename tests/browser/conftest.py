"""The browser suite runs on three pytest-xdist workers (make test-browser: -n 3 --dist loadgroup): its tests
wait on Chromium, JupyterLab and MathJax as much as they compute.  Each worker starts its own servers and
browser; the JupyterLab notebooks are split into LABS groups, each group on one worker with one JupyterLab."""
import re

import pytest

from axe import OUT

RECORDS = ("axe-site.json", "axe-lab.json")
LABS = 2  # JupyterLabs at once; the third worker takes the static pages, and the others join it once done


def lab_group(nodeid):
    """The scheduling unit of a test: its JupyterLab group for test_a11y_lab.py, the file for test_jupyterlab.py
    (its tests share one JupyterLab), else the test alone."""
    if "test_jupyterlab.py::" in nodeid:
        return "explorer"
    if "test_a11y_lab.py::" not in nodeid:
        return nodeid
    number = re.search(r"notebooks/(\d+)-", nodeid)
    return f"lab{int(number[1]) % LABS if number else LABS - 1}"  # 00-16: 10 and 8 notebooks, + 1 test


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a run without xdist has none
def pytest_xdist_make_scheduler(config, log):
    """loadgroup by lab_group.  (pytest-xdist 3.8's own loadgroup groups by an xdist_group mark that it writes
    into the test's node id, which pytest 9.2 no longer lets it change: every test ends up on its own.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByLab(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return lab_group(nodeid)
    return ByLab(config, log)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller, before any worker starts: this run's records only
        for name in RECORDS:
            (OUT / name).unlink(missing_ok=True)
