"""Notebooks 13-16's own pieces: the autograd engine written in notebook 16 (against central differences
and, if installed, torch.autograd), the pictures of helpers.plots_beyond, and the exercises of
helpers.exercise_bank_beyond (every solution accepted, every planted mistake named)."""
import json
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import plots_beyond

ROOT = Path(__file__).resolve().parent.parent
ENGINE_NOTEBOOK = ROOT / "notebooks" / "16-build-an-autograd.ipynb"


def engine():
    """The Tensor class and zero_grad exactly as notebook 16 builds them (its cells tagged `engine`, in order)."""
    cells = json.loads(ENGINE_NOTEBOOK.read_text())["cells"]
    namespace = {"np": np}
    for c in cells:
        if c["cell_type"] == "code" and "engine" in c["metadata"].get("tags", []):
            exec("".join(c["source"]), namespace)  # noqa: S102 - the repository's own notebook code
    return namespace["Tensor"], namespace["zero_grad"]


def two_layer_problem(seed=0, m=3, hidden=5, H=4, n=7):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal((hidden, m)), rng.standard_normal((hidden, 1)),
              rng.standard_normal((H, hidden)), rng.standard_normal((H, 1))]
    return params, rng.standard_normal((m, n)), rng.integers(0, H, size=n)


def engine_grads(params, X, y):
    Tensor, _ = engine()
    W1, b1, W2, b2 = ts = [Tensor(P) for P in params]
    L = (W2 @ (W1 @ Tensor(X) + b1).relu() + b2).cross_entropy(y)
    L.backward()
    return float(L.value), [t.grad for t in ts]


def loss_numpy(params, X, y):
    W1, b1, W2, b2 = params
    D = W2 @ np.maximum(W1 @ X + b1, 0) + b2
    D = D - D.max(axis=0, keepdims=True)
    return float(np.mean(np.log(np.exp(D).sum(axis=0)) - D[y, np.arange(X.shape[1])]))


def test_engine_gradients_match_central_differences():
    params, X, y = two_layer_problem()
    value, grads = engine_grads(params, X, y)
    assert np.isclose(value, loss_numpy(params, X, y))
    for k, P in enumerate(params):
        def f(A, k=k):
            return loss_numpy(params[:k] + [A] + params[k + 1:], X, y)
        assert helpers.gradcheck(f, P.copy(), grads[k], name=f"parameter {k}")


def test_engine_accumulates_a_tensor_used_twice_and_zero_grad_resets():
    Tensor, zero_grad = engine()
    rng = np.random.default_rng(1)
    S, X, R = rng.standard_normal((3, 3)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    s = Tensor(S)
    (s @ (s @ Tensor(X))).backward(seed=R)
    assert np.allclose(s.grad, R @ (S @ X).T + S.T @ R @ X.T)
    assert helpers.gradcheck(lambda A: np.sum(R * (A @ A @ X)), S.copy(), s.grad)
    zero_grad([s])
    assert not np.any(s.grad)


def test_engine_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    params, X, y = two_layer_problem(seed=2)
    value, grads = engine_grads(params, X, y)
    tp = [torch.tensor(P, dtype=torch.float64, requires_grad=True) for P in params]
    D = tp[2] @ torch.relu(tp[0] @ torch.tensor(X) + tp[1]) + tp[3]
    L = torch.nn.functional.cross_entropy(D.T, torch.tensor(y))
    L.backward()
    assert np.isclose(value, L.item())
    for t, g in zip(tp, grads):
        assert np.allclose(t.grad.numpy(), g, rtol=1e-10, atol=1e-12)


def test_pictures_are_figures_and_leave_pyplot_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    H, m, n = 2, 3, 2
    X = np.arange(m * n, dtype=float).reshape(m, n) - 2
    figs = [plots_beyond.first_order_error([1e-1, 1e-2], [1e-2, 1e-4]),
            plots_beyond.jacobian_structure(np.kron(np.eye(H), X.T), np.kron(X.T, np.eye(H)), H, m, n),
            plots_beyond.cost_bars(["a", "b"], [1e3, 1e9], "multiply-adds", ["cheap", "dear"]),
            plots_beyond.check_errors(["x", "y"], [1e-10, 0.0], [0.5, 1.0], 1e-5)]
    for fig in figs:
        assert isinstance(fig, helpers.plots.Picture)
        assert fig._repr_png_()[:4] == b"\x89PNG"
    assert dict(matplotlib.rcParams) == before


def test_cost_bars_colour_by_category_not_by_position():
    fig = plots_beyond.cost_bars(["a", "b", "c"], [1e3, 1e9, 1e4], "x", ["cheap", "dear", "cheap"])
    ax = fig.axes[0]
    colour = {p.get_y() + p.get_height() / 2: p.get_facecolor() for p in ax.patches}
    assert colour[2] == colour[0] != colour[1]  # bars a (y 2) and c (y 0) share a colour, b differs
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cheap", "dear"]
    with pytest.raises(ValueError, match="one value and one category"):
        plots_beyond.cost_bars(["a", "b"], [1, 2], "x", ["cheap"])


def test_first_order_guide_is_offset_below_the_data():
    eps = np.array([1e-1, 1e-2, 1e-3])
    fig = plots_beyond.first_order_error(eps, 3 * eps ** 2)
    data, guide = fig.axes[0].get_lines()[:2]
    assert np.allclose(guide.get_ydata() * 10, data.get_ydata())


def test_exercises_of_13_to_16_accept_their_solutions_and_name_their_mistakes():
    """Self-contained (tests/test_exercises.py covers the same once helpers/__init__ imports the module)."""
    import helpers.exercise_bank_beyond  # noqa: F401  registers the exercises
    from helpers.exercises import EXERCISES, NOT_ATTEMPTED, check, hints

    names = [n for n in EXERCISES if n[:3] in ("13-", "14-", "15-", "16-")]
    assert len(names) == 10 and {n[:2] for n in names} == {"13", "14", "15", "16"}
    for name in names:
        ex = EXERCISES[name]
        assert check(name, ex.solution), name
        assert check(name, lambda *a: None).status == NOT_ATTEMPTED
        assert len(ex.hints) >= 2 and "solutions/" in hints(name)[-1]
        for mistake in ex.mistakes:
            assert check(name, mistake.wrong).status == mistake.label, (name, mistake.label)


def test_notebooks_13_to_16_check_exactly_the_registered_exercises():
    import re

    import helpers.exercise_bank_beyond  # noqa: F401
    from helpers.exercises import EXERCISES

    for number in ("13", "14", "15", "16"):
        for path in (ROOT / "notebooks").glob(f"{number}-*.ipynb"):
            text = path.read_text()
            solutions = (ROOT / "notebooks" / "solutions" / f"{path.stem}-solutions.ipynb").read_text()
            used = set(re.findall(r'exercises\.check\(\\"([\w-]+)\\"', text))
            assert used and used <= set(EXERCISES), (path.name, used)
            assert used == set(re.findall(r'exercises\.check\(\\"([\w-]+)\\"', solutions)), path.name
