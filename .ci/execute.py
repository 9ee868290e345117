"""Re-execute notebooks in order, in place, from a fresh kernel each: the only way outputs enter the repo.

Stores outputs and widget state (so GitHub and static pages render the widgets), and prints each
notebook's kernel time.  Usage: python .ci/execute.py [notebook ...]  (default: all of notebooks/).
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def all_notebooks():
    nb_dir = ROOT / "notebooks"
    return sorted(nb_dir.glob("[0-9][0-9]-*.ipynb")) + sorted((nb_dir / "solutions").glob("*.ipynb"))


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or all_notebooks()
    for path in paths:
        print(f"{execute(path):6.2f} s  {path.relative_to(ROOT)}", flush=True)
