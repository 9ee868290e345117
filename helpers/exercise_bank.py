"""The exercises of the notebooks: each one's solution, the inputs the checker probes it on, and the
known wrong variants it can name.  Probes come from a fixed seed, drawn only when a check runs."""
import numpy as np

from .exercises import register

RECT, SQUARE = (3, 4, 5), (4, 4, 4)  # (H, m, n): distinct sizes catch shapes, equal sizes hide them


def _rng(k):
    return np.random.default_rng(1000 + k)


def _wx(dims, k=0):
    H, m, n = dims
    rng = _rng(k)
    return dict(W=rng.standard_normal((H, m)), X=rng.standard_normal((m, n)), G=rng.standard_normal((H, n)))


def _pair(make):
    return lambda: [make(RECT, 0), make(SQUARE, 1)]


def _softmax_ce_grad(D, labels):
    P = np.exp(D - D.max(axis=0, keepdims=True))
    P /= P.sum(axis=0, keepdims=True)
    P[labels, np.arange(D.shape[1])] -= 1
    return P


# 01 ---------------------------------------------------------------------------------------------
register("01-entry", lambda W, X, i, j: (W @ X)[i, j],
         _pair(lambda d, k: {**{key: v for key, v in _wx(d, k).items() if key != "G"}, "i": 1, "j": 2}),
         {"wrong index of W": (lambda W, X, i, j: (W.T @ X)[i, j],
                               "in W_ik the summed k is W's second (column) index"),
          "wrong index of X": (lambda W, X, i, j: (W @ X.T)[i, j], "in X_kj the summed k is X's first (row) index")})
register("01-grad-shape", lambda H, m, n: (H, m), lambda: [dict(H=3, m=4, n=5), dict(H=5, m=7, n=3)],
         {"shape of D": (lambda H, m, n: (H, n), "that is the shape of D; a gradient has the shape of what it"
                                                 " differentiates"),
          "transposed": (lambda H, m, n: (m, H), "rows and columns are swapped")})

# 02 ---------------------------------------------------------------------------------------------
def _chain_probe(dims, k):
    H, m, n = dims
    rng = _rng(10 + k)  # a random J, so that every wrong way of pairing indices gives other numbers
    return dict(G=rng.standard_normal((H, n)), J=rng.standard_normal((H, n, H, m)), d=1, c=2)


register("02-chain-entry", lambda G, J, d, c: np.einsum("ij,ij->", G, J[:, :, d, c]), _pair(_chain_probe),
         {"only i = d": (lambda G, J, d, c: G[d] @ J[d, :, d, c],
                         "you kept only the i = d terms; that is the next notebook's step, true only because of"
                         " the product's structure. The chain rule itself sums over every i and j"),
          "indices paired wrongly": (lambda G, J, d, c: np.einsum("ij,ji->", G, J[:, :, d, c]),
                                     "G_ij must multiply dD_ij/dW_dc with the same (i, j)")})
register("02-count", lambda H, m, n: H * n * H * m, lambda: [dict(H=4, m=3, n=5), dict(H=2, m=3, n=7)],
         {"weights only": (lambda H, m, n: H * m, "that counts the weights; each one's sum has H n terms"),
          "a factor missing": (lambda H, m, n: H * m * n, "each of the H m weights sums over all H n entries of D")})

# 03 ---------------------------------------------------------------------------------------------
register("03-fraction", lambda H, m, n: 1 / H, lambda: [dict(H=5, m=3, n=4), dict(H=3, m=2, n=6)],
         {"fraction of zeros": (lambda H, m, n: (H - 1) / H, "that is the fraction of zeros"),
          "1/H^2": (lambda H, m, n: 1 / H**2, "H of the H^2 blocks survive, not one")})


def _slice_solution(X, H, i, j):
    out = np.zeros((H, X.shape[0]))
    out[i] = X[:, j]
    return out


register("03-slice", _slice_solution,
         _pair(lambda d, k: dict(X=_wx(d, k)["X"], H=d[0], i=1, j=2)),
         {"every row filled": (lambda X, H, i, j: np.tile(X[:, j], (H, 1)),
                               "only row d = i survives: D_ij contains no weight of another row"),
          "row of X": (lambda X, H, i, j: _slice_solution(X.T, H, i, j),
                       "dD_ij/dW_ic is X_cj: a column of X (fixed sample j), not a row")})

# 04 ---------------------------------------------------------------------------------------------
register("04-local", lambda X, d, j, c: X[c, j], _pair(lambda dims, k: dict(X=_wx(dims, k)["X"], d=1, j=3, c=2)),
         {"indices swapped": (lambda X, d, j, c: X[j, c], "c, the weight's column, is X's row index"),
          "wrong index": (lambda X, d, j, c: X[d, j], "d picks the row of D; the row of X is c")})
register("04-dD-dX", lambda W, j: W, _pair(lambda dims, k: dict(W=_wx(dims, k)["W"], j=0)),
         {"transposed": (lambda W, j: W.T, "entry (i, k) of this matrix is dD_ij/dX_kj = W_ik")})

# 05 and 06: dL/dX for D = W X -------------------------------------------------------------------
DX_VARIANTS = {
    "missing transpose": (lambda W, X, G: W @ G, "a transpose is missing: in sum_i G_ij W_ik the summed i is the"
                                                  " first (row) index of W"),
    "the other convention's formula": (lambda W, X, G: G @ W.T, "that is dL/dX for D = X W (samples as rows);"
                                                                " here samples are columns"),
    "transposed result": (lambda W, X, G: (W.T @ G).T, "your result is transposed: dL/dX has X's shape (m, n)"),
}
for name in ("05-dX-loop", "06-dX-matrix"):
    register(name, lambda W, X, G: W.T @ G, _pair(_wx), DX_VARIANTS, operands=("W", "G"))

register("05-find-bug", lambda G, X: G @ X.T, _pair(lambda d, k: {key: _wx(d, k)[key] for key in ("G", "X")}),
         {"bug still there": (lambda G, X: G @ X, "X is still indexed X[j, c]: its first index is the feature c,"
                                                  " its second the sample j")}, operands=("G", "X"))


def _ce_probe(dims, k):
    H, _, n = dims
    rng = _rng(20 + k)
    return dict(D=2 * rng.standard_normal((H, n)), labels=rng.integers(0, H, size=n))


register("05-softmax-ce", _softmax_ce_grad, _pair(_ce_probe),
         {"softmax over the wrong index": (lambda D, labels: _softmax_rows(D) - _onehot(D, labels),
                                           "you normalized along a row (over samples); each sample's softmax runs"
                                           " over the H classes in its column"),
          "one-hot missing": (lambda D, labels: _softmax_ce_grad(D, labels) + _onehot(D, labels),
                              "the -1 at each sample's label is missing (d/dD of -D_{y_j j})")})


def _onehot(D, labels):
    Y = np.zeros_like(D)
    Y[labels, np.arange(D.shape[1])] = 1
    return Y


def _softmax_rows(D):
    P = np.exp(D - D.max(axis=1, keepdims=True))
    return P / P.sum(axis=1, keepdims=True)


# 06: dL/dW for D = X W (samples as rows): X (n, m), G (n, H) --------------------------------------
def _xw(dims, k):
    H, m, n = dims
    rng = _rng(30 + k)
    return dict(X=rng.standard_normal((n, m)), G=rng.standard_normal((n, H)))


register("06-xw", lambda X, G: X.T @ G, _pair(_xw),
         {"the D = W X formula": (lambda X, G: G @ X.T, "that is the D = W X result; with samples as rows the summed"
                                                        " sample index is the first index of both X and G"),
          "missing transpose": (lambda X, G: X @ G, "a transpose is missing: the summed index i is X's row index"),
          "transposed result": (lambda X, G: G.T @ X, "your result is transposed: dL/dW has W's shape (m, H)")},
         operands=("X", "G"))


# 07: dL/dX for D = X W --------------------------------------------------------------------------
def _xw_full(dims, k):
    H, m, n = dims
    rng = _rng(40 + k)
    return dict(X=rng.standard_normal((n, m)), W=rng.standard_normal((m, H)), G=rng.standard_normal((n, H)))


register("07-dX-xw", lambda X, W, G: G @ W.T, _pair(_xw_full),
         {"the D = W X formula": (lambda X, W, G: W.T @ G, "that is dL/dX for D = W X (samples as columns)"),
          "missing transpose": (lambda X, W, G: G @ W, "a transpose is missing: the summed output index is the"
                                                       " second index of both G and W"),
          "transposed result": (lambda X, W, G: (G @ W.T).T, "your result is transposed: dL/dX has X's shape (n, m)")},
         operands=("G", "W"))

# 08: find the bug in dL/dX ----------------------------------------------------------------------
register("08-find-bug", lambda W, G: W.T @ G, _pair(lambda d, k: {key: _wx(d, k)[key] for key in ("W", "G")}),
         {"bug still there": (lambda W, G: W @ G, "W is still indexed W[k, i]: its first index is the output i,"
                                                  " its second the feature k")}, operands=("W", "G"))


# 09: the neuron ReLU(W X + b) -------------------------------------------------------------------
def _neuron(dims, k):
    H, m, n = dims
    rng = _rng(50 + k)
    return dict(W=rng.standard_normal((H, m)), X=rng.standard_normal((m, n)), b=rng.standard_normal((H, 1)),
                G=rng.standard_normal((H, n)))


def _mask(W, X, b):
    return (W @ X + b > 0).astype(float)


register("09-bias", lambda W, X, b, G: (G * _mask(W, X, b)).sum(axis=1, keepdims=True), _pair(_neuron),
         {"ReLU mask missing": (lambda W, X, b, G: G.sum(axis=1, keepdims=True),
                                "the ReLU passes the gradient only where W X + b > 0"),
          "summed over the wrong index": (lambda W, X, b, G: (G * _mask(W, X, b)).sum(axis=0, keepdims=True),
                                          "b_d is added to every sample of row d, so sum over the samples j (along"
                                          " a row), not over the outputs")})
register("09-find-bug", lambda W, X, b, G: (G * _mask(W, X, b)) @ X.T, _pair(_neuron),
         {"ReLU mask missing": (lambda W, X, b, G: G @ X.T, "the gradient must pass through the ReLU first: multiply"
                                                            " G by the mask before the product")})


# 10: the two-layer network ----------------------------------------------------------------------
def _two_layer(dims, k):
    H, m, n = dims
    h = m + 1 if dims != SQUARE else m  # hidden width: distinct in the rectangular probe
    rng = _rng(60 + k)
    return dict(W1=rng.standard_normal((h, m)), b1=rng.standard_normal((h, 1)), W2=rng.standard_normal((H, h)),
                X=rng.standard_normal((m, n)), G=rng.standard_normal((H, n)))


def _dW1(W1, b1, W2, X, G):
    return ((W2.T @ G) * (W1 @ X + b1 > 0)) @ X.T


register("10-dW1", _dW1, _pair(_two_layer),
         {"ReLU mask missing": (lambda W1, b1, W2, X, G: (W2.T @ G) @ X.T,
                                "between the layers the gradient passes through the ReLU: mask it"),
          "missing transpose on W2": (lambda W1, b1, W2, X, G: ((W2 @ G) * (W1 @ X + b1 > 0)) @ X.T,
                                      "going back through D = W2 A1, dL/dA1 needs W2 transposed")},
         operands=("W2", "G", "X"))


# 11: attention scores S = Q K^T -----------------------------------------------------------------
def _attention(dims, k):
    H, m, n = dims  # q = H queries, d = m features, k = n keys
    rng = _rng(70 + k)
    return dict(Q=rng.standard_normal((H, m)), K=rng.standard_normal((n, m)), G=rng.standard_normal((H, n)))


register("11-attention-dK", lambda Q, K, G: G.T @ Q, _pair(_attention),
         {"missing transpose": (lambda Q, K, G: G @ Q, "the summed query index q is the first index of G and of Q"),
          "that is dL/dQ": (lambda Q, K, G: G @ K, "that is the gradient for the other operand, Q"),
          "transposed result": (lambda Q, K, G: (G.T @ Q).T, "your result is transposed: dL/dK has K's shape")},
         operands=("G", "Q"))

# 12: counting evaluations -----------------------------------------------------------------------
register("12-full-evals", lambda H, m, n: 2 * H * m, lambda: [dict(H=3, m=4, n=5), dict(H=7, m=2, n=9)],
         {"one side only": (lambda H, m, n: H * m, "a central difference evaluates L twice per entry, at +h and -h"),
          "perturbed D": (lambda H, m, n: 2 * H * n, "the check perturbs the weights W (H x m), not D")})
