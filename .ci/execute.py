"""Re-execute notebooks in order, in place, from a fresh kernel each: the only way outputs enter the repo.

Stores outputs and widget state (so GitHub and static pages render the widgets), and prints each
notebook's kernel time.  Usage: python .ci/execute.py [notebook ...]  (default: all of notebooks/).

Deterministic: the kernel mints random widget model ids, so after execution every id is replaced by one
derived from the notebook's name, the cell that first shows the widget and a counter. Executing twice
gives byte-identical files (tests/test_everywhere.py checks it), so diffs show only real changes.
"""
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HEX_ID = re.compile(r"[0-9a-f]{32}")  # "IPY_MODEL_<id>" references and nested views' "model_id"


def all_notebooks():
    nb_dir = ROOT / "notebooks"
    return sorted(nb_dir.glob("[0-9][0-9]-*.ipynb")) + sorted((nb_dir / "solutions").glob("*.ipynb"))


def stable_id(name, cell_id, k):
    return hashlib.sha256(f"{name}/{cell_id}/{k}".encode()).hexdigest()[:32]


def stable_widget_ids(nb, name):
    """Rename every widget model id to stable_id(notebook name, first cell showing it, counter), in place.

    Models are numbered in the order they are reached: each view in the outputs, then depth-first through
    the models its state refers to; models no output reaches come last, in stored order.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb
    new, order = {}, []

    def reach(model_id, cell_id):
        if model_id in new or model_id not in state:
            return
        new[model_id] = stable_id(name, cell_id, len(new))
        order.append(model_id)
        for ref in HEX_ID.findall(json.dumps(state[model_id], sort_keys=True)):
            reach(ref, cell_id)

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                reach(view["model_id"], cell.get("id", "cell"))
    for model_id in list(state):
        reach(model_id, "unshown")
    text = json.dumps(nb)
    for old, stable in new.items():
        text = text.replace(old, stable)
    renamed = nbformat.from_dict(json.loads(text))
    renamed_state = renamed.metadata["widgets"][WIDGET_STATE]["state"]
    renamed.metadata["widgets"][WIDGET_STATE]["state"] = {new[m]: renamed_state[new[m]] for m in order}
    return renamed


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(stable_widget_ids(nb, path.name), path)
    return seconds


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or all_notebooks()
    for path in paths:
        print(f"{execute(path):6.2f} s  {path.relative_to(ROOT)}", flush=True)
