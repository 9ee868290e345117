"""Build the JupyterLite site (the notebooks running in the browser tab, no server) into _site/lite/.

    python .ci/lite.py [OUT]        (make lite: installs requirements-site.txt and the npm packages first)

What runs where:
- the Pyodide runtime (Python 3.14) comes from the npm package pyodide (pinned in package-lock.json) and is
  served from lite/pyodide/; the pure-Python wheels the kernel needs to start (IPython, jedi, micropip, ...) are
  the exact versions Pyodide's lock file lists, downloaded from PyPI at build time and served beside it, so
  the kernel starts with no network;
- ipywidgets, comm and this collection's `helpers` wheel (`pip wheel . --no-deps`) are in lite/pypi/, where
  the notebooks' first cell installs them from (piplite);
- numpy, matplotlib, pillow and their compiled dependencies exist only on Pyodide's CDN (no wheels on PyPI
  or npm): the lock file points at the CDN for them, so the learner needs the network for those alone.
"""
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "build" / "npm" / "node_modules"
PYODIDE_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
RUNTIME = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.js"]
# What the kernel installs at start (jupyterlite-pyodide-kernel's worker) and what ipywidgets needs; with
# their dependencies in Pyodide's lock file, these are served locally.
KERNEL_START = ["micropip", "ipython", "jedi", "traitlets", "packaging", "typing-extensions"]
PIPLITE = ["comm==0.2.3", "ipywidgets==8.1.9", "jupyterlab_widgets==3.0.17", "ipython_pygments_lexers==1.1.1"]
KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"


def pip(*args):
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def closure(lock, names):
    """names and everything they depend on in Pyodide's lock file."""
    key = {normal(k): k for k in lock["packages"]}  # depends may say prompt_toolkit for prompt-toolkit
    seen, todo = set(), list(names)
    while todo:
        name = key.get(normal(todo.pop()))
        if name is not None and name not in seen:
            seen.add(name)
            todo += lock["packages"][name]["depends"]
    return sorted(seen)


def normal(name):
    return name.lower().replace("_", "-").replace(".", "-")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pyodide_runtime(dest, work):
    """The runtime from npm, the kernel's pure-Python start-up wheels from PyPI, and a lock file that points
    at those local wheels and at Pyodide's CDN for everything else (numpy, matplotlib, pillow, ...)."""
    src = NODE_MODULES / "pyodide"
    if not src.is_dir():
        raise SystemExit(f"{src} is missing: run `make lite` (it installs the pinned npm packages with npm ci)")
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME:
        shutil.copyfile(src / name, dest / name)
    lock = json.loads((src / "pyodide-lock.json").read_text())
    local = closure(lock, KERNEL_START)
    wheels = work / "lock-wheels"
    pip("download", "--no-deps", "--only-binary=:all:", "--python-version", "3.14", "--implementation", "py",
        "--abi", "none", "--platform", "any", "-d", str(wheels),
        *[f"{name}=={lock['packages'][name]['version']}" for name in local])
    by_name = {}
    for whl in wheels.glob("*.whl"):
        by_name[normal(whl.name.split("-")[0])] = whl
    for name, entry in lock["packages"].items():
        whl = by_name.get(normal(name)) if name in local else None
        if whl is not None:
            shutil.copyfile(whl, dest / whl.name)
            entry["file_name"], entry["sha256"] = whl.name, sha256(whl)
        else:
            entry["file_name"] = PYODIDE_CDN + entry["file_name"]
    missing = sorted(set(local) - {n for n in local if lock["packages"][n]["file_name"] in {w.name for w in by_name.values()}})
    if missing:
        raise SystemExit(f"no PyPI wheel found for {missing}")
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return local


def piplite_wheels(work):
    """helpers (this repository, no dependencies bundled) and the pure-Python packages not in Pyodide's lock."""
    wheels = work / "piplite"
    pip("wheel", "--no-deps", "-w", str(wheels), str(ROOT))
    pip("download", "--no-deps", "--only-binary=:all:", "-d", str(wheels), *PIPLITE)
    return sorted(wheels.glob("*.whl"))


def lite_dir(work):
    """jupyter-lite.json: the local runtime, no PyPI fallback (everything the notebooks install is local)."""
    folder = work / "lite-dir"
    folder.mkdir()
    settings = {"pyodideUrl": "../pyodide/pyodide.mjs", "disablePyPIFallback": True}
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "Matmul gradient", "litePluginSettings": {KERNEL_SETTINGS: settings}}}
    (folder / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
    return folder


def build(out):
    start = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheels = piplite_wheels(work)
        cmd = [sys.executable, "-m", "jupyter", "lite", "build", "--no-sourcemaps", "--lite-dir", str(lite_dir(work)),
               "--contents", str(ROOT / "notebooks"), "--output-dir", str(out), "--log-level", "WARN",
               *[f"--piplite-wheels={w}" for w in wheels]]
        subprocess.run(cmd, check=True, cwd=work)
        local = pyodide_runtime(out / "pyodide", work)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"JupyterLite in {out}: {size / 1e6:.1f} MB, {time.perf_counter() - start:.0f} s; "
          f"served locally: the Pyodide runtime, {len(local)} start-up wheels, {len(wheels)} piplite wheels")


if __name__ == "__main__":
    build(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "_site" / "lite")
