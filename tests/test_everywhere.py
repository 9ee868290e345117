"""The places people open this material: Binder (repo2docker), Colab, a static site."""
import json
import re
import shutil
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
COURSE = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]


def clean_export(dest):
    """The files git tracks, as they are in the working tree (what a fresh clone of this state holds)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())
    return dest


def test_requirements_are_pinned_and_install_helpers():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert lines[-1] == "-e ."
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", l) for l in lines[:-1]), lines
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_builds_python_311_with_the_requirements(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to export")
    export = clean_export(tmp_path / "repo")
    r2d = Path(sys.executable).parent / "jupyter-repo2docker"
    done = subprocess.run([str(r2d), "--no-build", "--no-run", "--debug", str(export)],
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-2000:]
    assert "python=3.11" in out, "repo2docker did not pick Python 3.11 (runtime.txt)"
    install = out.index('pip install --no-cache-dir -r "requirements.txt"')
    copy_all = out.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert copy_all < install, "the whole repository must be copied before `-e .` in requirements.txt is installed"


COLAB_ID = "colab-setup"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_colab_cell_is_first_and_silent_outside_colab(path):
    nb = json.loads(path.read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert first.get("id") == COLAB_ID and first["outputs"] == []
    assert f"colab.research.google.com/github/{COURSE['github']}/blob/{COURSE['branch']}/notebooks/" in \
        "".join(nb["cells"][1]["source"]), "Open in Colab badge missing at the top"


def colab_cell():
    nb = json.loads(ALL[0].read_text())
    return "".join(next(c for c in nb["cells"] if c.get("id") == COLAB_ID)["source"])


def test_colab_cell_installs_helpers_and_enables_widgets_only_in_colab(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(("run", a, k)))
    exec(compile(colab_cell(), "colab-cell", "exec"), {})
    assert calls == []  # outside Colab: nothing
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    colab.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append(("widgets",)))
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", colab.output)
    exec(compile(colab_cell(), "colab-cell", "exec"), {})
    (kind, args, kwargs), widgets = calls
    assert kind == "run" and kwargs.get("check") is True
    assert f"git+https://github.com/{COURSE['github']}.git@{COURSE['branch']}" in args[0]
    assert widgets == ("widgets",)


def test_static_site(tmp_path):
    import importlib.util  # .ci/site.py by path: "site" is also a standard-library module
    spec = importlib.util.spec_from_file_location("course_site", ROOT / ".ci" / "site.py")
    course_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_site)
    out = tmp_path / "site"
    pages = course_site.build(out)
    assert (out / "index.html").exists() and (out / "solutions" / "index.html").exists()
    assert len(pages) == len(ALL)
    for path in ALL:
        rel = Path("solutions") if path.parent.name == "solutions" else Path()
        page = out / rel / course_site.page_name(path)
        html = page.read_text()
        for href in re.findall(r'href="([^"]+)"', html):
            if "://" in href or href.startswith(("#", "mailto:", "data:")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.exists(), f"{page.name}: broken link {href}"
        assert course_site.NO_ALT not in html, f"{page.name}: a figure without alt text"
        if "widget-view+json" in path.read_text():
            assert 'application/vnd.jupyter.widget-state+json' in html, f"{page.name}: widget state not embedded"
