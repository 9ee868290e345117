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
from queue import Empty

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


POLL = 1.0  # seconds: the longest one wait on a kernel socket lasts before it looks again


def polled(get_msg):
    """get_msg(timeout) as a series of waits of at most POLL seconds each, up to the same deadline."""
    async def get(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = POLL if deadline is None else max(0.0, min(POLL, deadline - time.monotonic()))
            try:
                return await get_msg(timeout=step)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
    return get


class Client(NotebookClient):
    """nbclient's client, except that no wait on the kernel's shell or IOPub socket lasts more than POLL seconds.

    nbclient waits for a cell's execute_reply in a single poll of the shell socket as long as the cell timeout. In a
    cell that shows an ipywidgets Output, nbclient itself sends the widget's new state on that socket while the poll
    waits, and the poll can then miss the reply's arrival (pyzmq's asyncio wake-up): it wakes only at the timeout,
    and the cell passes 300 s late (tests/test_everywhere.py::test_execute_twice_gives_identical_bytes did, 1 run in
    ~20). A fresh poll every POLL seconds looks at the socket anew, so a missed wake-up costs at most POLL.
    """
    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            channel.get_msg = polled(channel.get_msg)
        return kc


def execute(path, timeout=300):
    """Run path's cells in order in a fresh kernel and store the outputs; a cell that runs longer than timeout
    seconds, a kernel that takes over 60 s to start, or IOPub output missing 10 s after a cell's reply fails."""
    nb = nbformat.read(path, as_version=4)
    client = Client(nb, timeout=timeout, startup_timeout=60, iopub_timeout=10, raise_on_iopub_timeout=True,
                    kernel_name="python3", record_timing=False, store_widget_state=True,
                    resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(stable_widget_ids(nb, path.name), path)
    return seconds


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or all_notebooks()
    for path in paths:
        print(f"{execute(path):6.2f} s  {path.relative_to(ROOT)}", flush=True)
