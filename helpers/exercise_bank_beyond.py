"""The exercises of notebooks 13-16: each one's solution, the inputs the checker probes it on, and the known
wrong variants it can name.  Probes come from a fixed seed, drawn only when a check runs.

Importing this module registers the exercises (helpers/__init__.py imports it next to exercise_bank)."""
import numpy as np

from .exercises import register

RECT, SQUARE = (3, 4, 5), (4, 4, 4)  # (H, m, n): distinct sizes catch shapes, equal sizes hide them


def _rng(k):
    return np.random.default_rng(1300 + k)


def _pair(make, rect=RECT, square=SQUARE):
    return lambda: [make(rect, 0), make(square, 1)]


# 13: differentials and the trace -----------------------------------------------------------------
def _quad_probe(dims, k):
    H, m, n = dims
    rng = _rng(k)
    return dict(W=rng.standard_normal((H, m)), X=rng.standard_normal((m, n)), T=rng.standard_normal((H, n)))


register("13-squared-error", lambda W, X, T: (W @ X - T) @ X.T, _pair(_quad_probe),
         {"numerator layout": (lambda W, X, T: X @ (W @ X - T).T,
                               "that is the transpose: the layout of a book that writes dL = tr(M dW) and"
                               " prints M; this collection's gradient has W's shape"),
          "inner derivative missing": (lambda W, X, T: W @ X - T,
                                       "dD = dW X: the X in the differential must reach the answer"),
          "residual sign": (lambda W, X, T: (T - W @ X) @ X.T, "check the sign of the residual: L grows as"
                                                                " W X moves away from T")},
         operands=("W", "X", "T"))


def _trace_probe(dims, k):
    H, m, p = dims
    rng = _rng(10 + k)
    return dict(A=rng.standard_normal((p, H)), B=rng.standard_normal((m, p)))


register("13-trace-product", lambda A, B: A.T @ B.T, _pair(_trace_probe),
         {"not transposed": (lambda A, B: B @ A, "tr(M dW) = tr((Mᵀ)ᵀ dW): the gradient is the transpose of the"
                                                 " matrix that multiplies dW inside the trace"),
          "cycled the wrong way": (lambda A, B: A @ B, "move B to the front: tr(A dW B) = tr(B A dW)")},
         operands=("A", "B"))


def _layout_probe(dims, k):
    H, m, n = dims
    rng = _rng(20 + k)
    return dict(X=rng.standard_normal((m, n)), G=rng.standard_normal((H, n)))


register("13-numerator-layout", lambda X, G: X @ G.T, _pair(_layout_probe),
         {"this collection's layout": (lambda X, G: G @ X.T, "that is the gradient laid out like W; a numerator"
                                                             " layout lays a scalar's derivative by a matrix"
                                                             " out with the transposed shape"),
          "X and G swapped": (lambda X, G: G.T @ X, "rows of the answer belong to W's columns (X's rows)")},
         operands=("X", "G"))


# 14: the structure of dD/dW -----------------------------------------------------------------------
def _kron_probe(dims, k):
    H, m, n = dims
    return dict(X=_rng(30 + k).standard_normal((n, m)), H=H)


register("14-kron-xw", lambda X, H: np.kron(X, np.eye(H)), _pair(_kron_probe, (2, 3, 4), (3, 3, 3)),
         {"factors swapped": (lambda X, H: np.kron(np.eye(H), X),
                              "row (i, j) is sample i first, then output j: which factor indexes the blocks?"),
          "the D = W X form": (lambda X, H: np.kron(np.eye(H), X.T), "that is the other convention's Jacobian"),
          "X transposed": (lambda X, H: np.kron(X.T, np.eye(H)), "rows belong to D = X W's entries, (n H) of them")})
register("14-forward-count", lambda H, m, n: H * m, lambda: [dict(H=3, m=4, n=5), dict(H=6, m=2, n=7)],
         {"reverse mode's count": (lambda H, m, n: 1, "one product suffices in reverse mode (a VJP); forward"
                                                      " mode's JVP gives one directional derivative at a time"),
          "outputs, not inputs": (lambda H, m, n: H * n, "a JVP follows one direction in W's space; how many"
                                                         " directions span it?"),
          "multiply-adds": (lambda H, m, n: H * m * n, "that counts the multiply-adds of one JVP, not the JVPs")})


# 15: gradients add -------------------------------------------------------------------------------
def _two_uses_probe(dims, k):
    H, m, n = dims
    rng = _rng(40 + k)
    return dict(W=rng.standard_normal((H, m)), X=rng.standard_normal((m, n)), Y=rng.standard_normal((m, n)),
                G=rng.standard_normal((H, n)))


register("15-two-uses", lambda W, X, Y, G: G @ X.T + G @ Y.T, _pair(_two_uses_probe),
         {"overwrite instead of accumulate": (lambda W, X, Y, G: G @ Y.T,
                                              "only the last use of W survives: the first term was overwritten"),
          "first use only": (lambda W, X, Y, G: G @ X.T, "W is used twice, and each use contributes"),
          "mean of the uses": (lambda W, X, Y, G: (G @ X.T + G @ Y.T) / 2, "the uses add; nothing is averaged")},
         operands=("W", "X", "Y", "G"))


def _twice_probe(dims, k):
    H, m, n = dims
    rng = _rng(50 + k)
    return dict(W=rng.standard_normal((H, H)), X=rng.standard_normal((H, n)), G=rng.standard_normal((H, n)))


register("15-used-twice-in-a-row", lambda W, X, G: G @ (W @ X).T + W.T @ G @ X.T,
         _pair(_twice_probe, (3, 3, 5), (4, 4, 4)),
         {"outer use only": (lambda W, X, G: G @ (W @ X).T, "the inner W (in W X) is a use too"),
          "inner use only": (lambda W, X, G: W.T @ G @ X.T, "the outer W, applied to W X, is a use too"),
          "inner use not passed back": (lambda W, X, G: G @ (W @ X).T + G @ X.T,
                                        "the gradient reaching W X is Wᵀ G, not G")},
         operands=("W", "X", "G"))


def _decay_probe(dims, k):
    return {**{key: v for key, v in _two_uses_probe(dims, 60 + k).items() if key != "Y"}, "lam": 0.3}


register("15-weight-decay", lambda W, X, G, lam: G @ X.T + lam * W, _pair(_decay_probe),
         {"direct term missing": (lambda W, X, G, lam: G @ X.T, "L also depends on W directly, through the"
                                                                " penalty"),
          "penalty only": (lambda W, X, G, lam: lam * W, "W reaches L through D = W X too"),
          "half the penalty": (lambda W, X, G, lam: G @ X.T + lam * W / 2, "d(w²/2)/dw = w: the ½ cancels"),
          "twice the penalty": (lambda W, X, G, lam: G @ X.T + 2 * lam * W, "the ½ in the penalty cancels the"
                                                                             " 2 of the square")},
         operands=("W", "X", "G"))


# 16: build an autograd ---------------------------------------------------------------------------
def _elementwise_probe(dims, k):
    H, m, n = dims
    rng = _rng(70 + k)
    return dict(A=rng.standard_normal((H, n)), G=rng.standard_normal((H, n)))


register("16-tanh-backward", lambda A, G: G * (1 - np.tanh(A) ** 2), _pair(_elementwise_probe),
         {"incoming gradient dropped": (lambda A, G: 1 - np.tanh(A) ** 2,
                                        "the rule is a vector-Jacobian product: it starts from the gradient"
                                        " arriving at the output"),
          "derivative of the input": (lambda A, G: G * (1 - A ** 2), "1 - t² with t the output tanh(A), not A"),
          "a matrix product": (lambda A, G: G @ (1 - np.tanh(A) ** 2).T,
                               "tanh acts entry by entry, so its Jacobian is diagonal: an entrywise product")})


def _mul_probe(dims, k):
    return {**_elementwise_probe(dims, 80 + k), "B": _rng(90 + k).standard_normal((dims[0], dims[2]))}


register("16-mul-backward", lambda A, B, G: G * B, _pair(_mul_probe),
         {"the other factor": (lambda A, B, G: G * A, "∂(A_ij B_ij)/∂A_ij is B_ij"),
          "incoming gradient dropped": (lambda A, B, G: B, "multiply by the gradient arriving at the output"),
          "a matrix product": (lambda A, B, G: G @ B.T, "an entrywise product has a diagonal Jacobian: no sum over"
                                                        " an index")})
