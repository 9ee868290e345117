"""Notebook 16's engine refuses misuse the way PyTorch does, or gives the right gradient: one test per case.

The engine is the learner's own code, so it lives in the notebook: its code cells tagged `engine` (and the
checker adapter tagged `exercise-adapter`) are executed here into a fresh namespace, in order.  References
are independent of the engine: central differences (helpers.gradcheck) or closed forms.
"""
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers.exercises import EXERCISES, NOT_ATTEMPTED, check

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "16-build-an-autograd.ipynb"
SOLUTIONS = ROOT / "notebooks" / "solutions" / "16-build-an-autograd-solutions.ipynb"


def tagged(path, tag):
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and tag in c["metadata"].get("tags", [])]


def load(path=NOTEBOOK, tags=("engine",)):
    """A namespace holding the engine exactly as the notebook builds it, cell after cell."""
    namespace = {"np": np}
    for tag in tags:
        for source in tagged(path, tag):
            exec(compile(source, f"{path.name}[{tag}]", "exec"), namespace)  # noqa: S102 - our own notebook
    return namespace


@pytest.fixture(scope="module")
def E():
    return load(tags=("engine", "exercise-adapter"))


def rng(seed=0):
    return np.random.default_rng(seed)


# -- the notebook builds the engine in steps ------------------------------------------------------------------

def test_engine_is_built_in_small_cells_and_the_solutions_copy_it_unchanged():
    steps = tagged(NOTEBOOK, "engine")
    assert len(steps) == 6 and all(len(s.splitlines()) <= 60 for s in steps)
    assert "def matmul" in steps[0] and "def add" in steps[1] and "def checked_matmul" in steps[2]
    assert "def cross_entropy" in steps[3] and "def backward" in steps[4] and "def zero_grad" in steps[5]
    assert len(steps[0].splitlines()) <= 25  # Step 1 and its check fit the first screens
    assert tagged(SOLUTIONS, "engine") == ["\n\n\n".join(steps)]
    assert tagged(SOLUTIONS, "exercise-adapter") == tagged(NOTEBOOK, "exercise-adapter")


def test_loading_is_fast():
    start = time.perf_counter()
    load()
    assert time.perf_counter() - start < 1.0


# -- seeds ---------------------------------------------------------------------------------------------------

def test_backward_on_a_non_scalar_without_a_seed_is_refused(E):
    Z = E["Tensor"](rng().standard_normal((3, 5)))
    with pytest.raises(ValueError, match=r"needs one number.*shape \(3, 5\).*\.sum\(\).*seed="):
        (Z + 1.0).backward()


def test_a_seed_of_another_shape_is_refused_naming_both(E):
    Z = E["Tensor"](rng().standard_normal((3, 2)))
    with pytest.raises(ValueError, match=r"seed has shape \(1, 2\) but the output has shape \(3, 2\)"):
        (Z + 1.0).backward(seed=np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"seed has shape \(\) but the output has shape \(3, 2\)"):
        (Z + 1.0).backward(seed=1.0)


def test_a_one_entry_output_needs_no_seed(E):
    T = E["Tensor"]
    W, X = rng().standard_normal((1, 3)), rng(1).standard_normal((3, 1))
    W_t = T(W)
    (W_t @ X).backward()  # (1, 1): one number, as in PyTorch (numel 1)
    assert np.allclose(W_t.grad, X.T)


# -- a second backward, accumulation, zero_grad ------------------------------------------------------------

def test_a_second_backward_through_one_graph_is_refused_unless_retained(E):
    T = E["Tensor"]
    W = T(rng().standard_normal((3, 4)))
    L = (W @ rng(1).standard_normal((4, 5))).sum()
    L.backward()
    with pytest.raises(RuntimeError, match=r"second time.*retain_graph=True"):
        L.backward()
    L = (W @ rng(1).standard_normal((4, 5))).sum()
    L.backward(retain_graph=True)
    L.backward()  # allowed once retained
    with pytest.raises(RuntimeError, match="second time"):
        L.backward()


def test_leaf_gradients_accumulate_across_calls_and_zero_grad_resets(E):
    T, zero_grad = E["Tensor"], E["zero_grad"]
    W, X = rng().standard_normal((3, 4)), rng(1).standard_normal((4, 5))
    W_t = T(W)
    for calls in (1, 2, 3):
        (W_t @ X).relu().sum().backward()
        one = helpers.gradcheck(lambda A: np.sum(np.maximum(A @ X, 0)), W.copy(), W_t.grad / calls)
        assert one.meaningful, (calls, one)
    zero_grad([W_t])
    assert W_t.grad.shape == W.shape and not np.any(W_t.grad)


def test_intermediate_gradients_never_leak_between_calls(E):
    """Two losses share Z = W X; each is backward()ed: W.grad is the sum of the two true gradients."""
    T = E["Tensor"]
    W, X = rng().standard_normal((3, 4)), rng(1).standard_normal((4, 5))
    labels = np.array([0, 2, 1, 1, 0])
    W_t = T(W)
    Z = W_t @ X
    L1, L2 = Z.sum(), Z.relu().cross_entropy(labels)
    L1.backward(retain_graph=True)
    L2.backward()

    def ce(D):
        D = D - D.max(axis=0)
        return np.mean(np.log(np.exp(D).sum(axis=0)) - D[labels, np.arange(5)])

    both = helpers.gradcheck(lambda A: np.sum(A @ X) + ce(np.maximum(A @ X, 0)), W.copy(), W_t.grad)
    assert both.meaningful, both
    assert not np.allclose(Z.grad, 1.0)  # Z.grad is L2's alone: L1's ones were not kept


def test_two_losses_sharing_a_released_intermediate_are_refused(E):
    T = E["Tensor"]
    Z = T(rng().standard_normal((3, 4))) @ rng(1).standard_normal((4, 5))
    Z.sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        Z.relu().sum().backward()


def test_a_matrix_used_twice_in_one_graph_collects_both_terms(E):
    T = E["Tensor"]
    S, X, R = rng().standard_normal((3, 3)), rng(1).standard_normal((3, 4)), rng(2).standard_normal((3, 4))
    S_t = T(S)
    (S_t @ (S_t @ X)).backward(seed=R)
    assert np.allclose(S_t.grad, R @ (S @ X).T + S.T @ R @ X.T)
    assert helpers.gradcheck(lambda A: np.sum(R * (A @ A @ X)), S.copy(), S_t.grad).meaningful


# -- broadcasting: bias rows, bias on the left, numbers, 1-D operands ----------------------------------------

@pytest.mark.parametrize("case", ["column (3, 1)", "row (1, 5)", "number ()", "same (3, 5)", "both (1, 5) + (3, 1)"])
@pytest.mark.parametrize("side", ["Z + b", "b + Z"])
def test_broadcast_operands_get_their_gradient_summed_back(E, case, side):
    T = E["Tensor"]
    shapes = {"column (3, 1)": ((3, 5), (3, 1)), "row (1, 5)": ((3, 5), (1, 5)), "number ()": ((3, 5), ()),
              "same (3, 5)": ((3, 5), (3, 5)), "both (1, 5) + (3, 1)": ((1, 5), (3, 1))}[case]
    Z, b = (rng(k).standard_normal(s) for k, s in enumerate(shapes))
    R = rng(9).standard_normal((3, 5))
    Z_t, b_t = T(Z), T(b)
    out = Z_t + b_t if side == "Z + b" else b_t + Z_t
    assert out.value.shape == (3, 5)
    out.backward(seed=R)
    for leaf, value, other in ((Z_t, Z, b), (b_t, b, Z)):
        result = helpers.gradcheck(lambda A, other=other: np.sum(R * (A + other)), np.array(value), leaf.grad)
        assert leaf.grad.shape == np.shape(value) and result.meaningful, (case, side, result)


def test_python_numbers_and_arrays_on_either_side(E):
    T = E["Tensor"]
    Z = rng().standard_normal((3, 5))
    for make in (lambda t: t + 1.0, lambda t: 1.0 + t, lambda t: t + np.ones((3, 1)), lambda t: np.ones((1, 5)) + t):
        Z_t = T(Z)
        out = make(Z_t)
        assert isinstance(out, T) and np.allclose(out.value, Z + 1.0)
        out.sum().backward()
        assert np.allclose(Z_t.grad, 1.0)
    W, X = rng(1).standard_normal((2, 3)), rng(2).standard_normal((3, 5))
    X_t = T(X)
    out = W @ X_t  # an array on the left of @
    assert isinstance(out, T)
    out.sum().backward()
    assert np.allclose(X_t.grad, W.T @ np.ones((2, 5)))


@pytest.mark.parametrize("make", [
    lambda T, r: T(r.standard_normal(3)) + T(r.standard_normal((3, 5))),
    lambda T, r: T(r.standard_normal((3, 5))) + r.standard_normal(5),
    lambda T, r: T(r.standard_normal((3, 5))) + r.standard_normal(3),
    lambda T, r: T(r.standard_normal((3, 4))) @ r.standard_normal(4),
    lambda T, r: r.standard_normal(3) @ T(r.standard_normal((3, 4))),
    lambda T, r: T(r.standard_normal(3)) @ T(r.standard_normal((3, 4))),
    lambda T, r: T(r.standard_normal((2, 3, 4))) + 1.0,
], ids=["1-D + Z", "Z + 1-D row", "Z + 1-D column", "W @ 1-D", "1-D array @ X", "1-D @ X", "3-D + 1"])
def test_one_d_and_higher_operands_are_refused_with_the_fix(E, make):
    with pytest.raises(ValueError, match=r"matrices \(2-D\) or numbers \(0-d\), not shape \(.*"
                                         r"reshape\(-1, 1\).*reshape\(1, -1\)"):
        make(E["Tensor"], rng())


def test_the_square_case_a_1d_bias_would_get_silently_wrong_is_refused(E):
    """numpy adds a 1-D (H,) bias to a square (H, H) Z along the rows: a different model, no error."""
    Z, b = rng().standard_normal((4, 4)), rng(1).standard_normal(4)
    assert not np.allclose(Z + b, Z + b[:, None])  # numpy's silent reading differs from the column bias
    with pytest.raises(ValueError, match=r"not shape \(4,\)"):
        E["Tensor"](Z) + b


@pytest.mark.parametrize("a, b", [((3, 5), (5, 3)), ((3, 5), (2, 5)), ((3, 5), (3, 2))])
def test_shapes_that_cannot_broadcast_are_named(E, a, b):
    T = E["Tensor"]
    with pytest.raises(ValueError, match=re.escape(f"cannot add shapes {a} and {b}")):
        T(np.ones(a)) + T(np.ones(b))


@pytest.mark.parametrize("a, b", [((3, 4), (3, 4)), ((3, 4), ()), ((), (3, 4))])
def test_a_matmul_that_does_not_chain_is_named(E, a, b):
    T = E["Tensor"]
    with pytest.raises(ValueError, match=r"W @ X needs as many columns in W as rows in X; got \("):
        T(np.ones(a)) @ T(np.ones(b))


@pytest.mark.parametrize("labels", [np.arange(6), np.array([0, 1, 2, 3, 0]), np.array([0.5, 1, 2, 0, 1]),
                                    np.array([-1, 0, 1, 2, 0])], ids=["too many", "3 >= H", "not whole", "negative"])
def test_labels_that_do_not_fit_are_named(E, labels):
    with pytest.raises(ValueError, match=r"cross_entropy needs scores \(H, n\).*scores \(3, 5\)"):
        E["Tensor"](np.zeros((3, 5))).cross_entropy(labels)


# -- depth and numerics --------------------------------------------------------------------------------------

def test_a_chain_of_1500_operations_needs_no_recursion(E):
    T = E["Tensor"]
    angle = 0.01
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    V, R = T(rng().standard_normal((2, 3))), rng(1).standard_normal((2, 3))
    out = V
    for k in range(1500):
        out = (rot @ out) + 0.0 if k % 2 else rot @ out  # 2,250 operations, 1,500 products
    start = time.perf_counter()
    out.backward(seed=R)
    assert time.perf_counter() - start < 1.0
    c, s = np.cos(1500 * angle), np.sin(1500 * angle)
    assert np.allclose(V.grad, np.array([[c, -s], [s, c]]).T @ R, rtol=1e-9, atol=1e-12)


def test_cross_entropy_with_a_logit_gap_of_800_is_finite_and_right(E):
    """The issue's 400.16: column 0 has its label 800 below the other score, column 1 its label 1 above."""
    T = E["Tensor"]
    D = np.array([[800.0, 1.0], [0.0, 0.0]])
    D_t = T(D)
    L = D_t.cross_entropy([1, 0])
    exact = (800 + np.log1p(np.exp(-1.0))) / 2  # -log P per column: 800 + log(1 + e^-800), log(1 + e^-1)
    assert np.isclose(float(L.value), exact, rtol=1e-15) and f"{float(L.value):.2f}" == "400.16"
    L.backward()
    assert np.all(np.isfinite(D_t.grad))
    assert np.allclose(D_t.grad, np.array([[1.0, -1 / (1 + np.e)], [-1.0, 1 / (1 + np.e)]]) / 2)


def test_cross_entropy_gradient_at_ordinary_scores_and_large_ones(E):
    T = E["Tensor"]
    labels = np.array([2, 0, 1, 1])
    for scale in (1.0, 30.0):
        D = scale * rng().standard_normal((3, 4))
        D_t = T(D)
        D_t.cross_entropy(labels).backward()

        def ce(A):
            A = A - A.max(axis=0)
            return np.mean(np.log(np.exp(A).sum(axis=0)) - A[labels, np.arange(4)])
        result = helpers.gradcheck(ce, D.copy(), D_t.grad)
        assert result, (scale, result)


def test_a_two_layer_network_matches_central_differences(E):
    T = E["Tensor"]
    r = rng(3)
    params = [r.standard_normal((5, 3)), r.standard_normal((5, 1)), r.standard_normal((4, 5)), r.standard_normal((1, 7))]
    X, y = r.standard_normal((3, 7)), r.integers(0, 4, size=7)

    def loss(p):
        D = p[2] @ np.maximum(p[0] @ X + p[1] + p[3], 0)  # p[3]: a (1, n) row, one offset per sample
        D = D - D.max(axis=0)
        return np.mean(np.log(np.exp(D).sum(axis=0)) - D[y, np.arange(7)])

    ts = [T(P) for P in params]
    (ts[2] @ (ts[0] @ X + ts[1] + ts[3]).relu()).cross_entropy(y).backward()
    for k, P in enumerate(params):
        result = helpers.gradcheck(lambda A, k=k: loss(params[:k] + [A] + params[k + 1:]), P.copy(), ts[k].grad)
        assert result.meaningful, (k, result)


# -- the exercises take the learner's Tensor methods --------------------------------------------------------

def methods(E):
    """Right and wrong Tensor methods, as a learner writes them, with the checker's label for each."""
    T = E["Tensor"]

    def unary(rule):
        def method(self):
            out = T(np.tanh(self.value), (self,), "tanh")
            out.backward_rule = lambda: rule(self, out)
            return out
        return method

    def binary(rule):
        def method(self, other):
            out = T(self.value * other.value, (self, other), "*")
            out.backward_rule = lambda: rule(self, other, out)
            return out
        return method

    def assign(t, value):
        t.grad = value

    tanh = {
        "correct": lambda s, o: s.grad.__iadd__(o.grad * (1 - o.value ** 2)),
        "incoming gradient dropped": lambda s, o: s.grad.__iadd__(1 - o.value ** 2),
        "derivative of the input": lambda s, o: s.grad.__iadd__(o.grad * (1 - s.value ** 2)),
        "overwrites instead of adding": lambda s, o: assign(s, o.grad * (1 - o.value ** 2)),
        "a matrix product": lambda s, o: s.grad.__iadd__(o.grad @ (1 - o.value ** 2).T),
    }
    mul = {
        "correct": lambda s, t, o: (s.grad.__iadd__(o.grad * t.value), t.grad.__iadd__(o.grad * s.value)),
        "each factor's own value": lambda s, t, o: (s.grad.__iadd__(o.grad * s.value),
                                                    t.grad.__iadd__(o.grad * t.value)),
        "incoming gradient dropped": lambda s, t, o: (s.grad.__iadd__(t.value), t.grad.__iadd__(s.value)),
        "only the left use": lambda s, t, o: s.grad.__iadd__(o.grad * t.value),
        "only the right use": lambda s, t, o: t.grad.__iadd__(o.grad * s.value),
        "the matrix product's rule": lambda s, t, o: (s.grad.__iadd__(o.grad @ t.value.T),
                                                      t.grad.__iadd__(s.value.T @ o.grad)),
    }
    overwrite_self = lambda s, t, o: (assign(s, o.grad * t.value), t.grad.__iadd__(o.grad * s.value))  # noqa: E731
    return ({k: unary(v) for k, v in tanh.items()},
            {**{k: binary(v) for k, v in mul.items()}, "only the left use (self.grad =)": binary(overwrite_self)})


def test_each_learner_method_gets_its_diagnosis(E):
    tanh, mul = methods(E)
    adapter = E["gradient_at_A"]
    for name, variants in (("16-tanh-method", tanh), ("16-mul-method", mul)):
        for label, method in variants.items():
            result = check(name, adapter(method))
            assert result.status == label.split(" (")[0], (name, label, result)


def test_placeholder_methods_are_not_attempted(E):
    adapter = E["gradient_at_A"]
    assert check("16-tanh-method", adapter(lambda self: None)).status == NOT_ATTEMPTED
    assert check("16-mul-method", adapter(lambda self, other: None)).status == NOT_ATTEMPTED


def test_the_solution_notebook_methods_pass_and_the_bank_truth_is_the_graph_gradient(E):
    ns = load(SOLUTIONS, tags=("engine", "exercise-adapter"))
    cells = json.loads(SOLUTIONS.read_text())["cells"]
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and ("def tanh" in source or "def mul" in source):
            exec(source.split("result = ")[0], {**ns, "helpers": helpers})  # noqa: S102 - defines the method
    T = ns["Tensor"]
    assert check("16-tanh-method", ns["gradient_at_A"](T.tanh))
    assert check("16-mul-method", ns["gradient_at_A"](T.__mul__))
    # the bank's truth, against central differences of the graphs the adapter builds
    A, B, C, G = (rng(k).standard_normal((3, 4)) for k in range(4))
    truth = EXERCISES["16-tanh-method"].solution(A, G)
    assert helpers.gradcheck(lambda X: np.sum(G * (np.tanh(X) + X)), A.copy(), truth).meaningful
    truth = EXERCISES["16-mul-method"].solution(A, B, C, G)
    assert helpers.gradcheck(lambda X: np.sum(G * (X * B + C * X)), A.copy(), truth).meaningful
