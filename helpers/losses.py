"""A catalog of scalar losses L = f(D), each with its value and its analytic gradient G = dL/dD.

Losses work on D in the layout (H, n): H outputs (classes) as rows, n samples as columns.  Built with
convention="XW" they take D = X W of shape (n, H) instead and transpose at the boundary.
Targets are drawn from the rng passed in, never from global state.
"""
import numpy as np

from .validate import MAX_ARRAY_ENTRIES, check_convention, real_array, whole_number


class Loss:
    name = "loss"
    formula = ""
    needs_rng = False  # True for losses that draw targets or labels

    def __init__(self, H, n, rng=None, convention="WX"):
        check_convention(convention)
        H, n = whole_number(H, "H"), whole_number(n, "n")
        if H * n > MAX_ARRAY_ENTRIES:
            raise ValueError(f"a loss for D of {H:,} x {n:,} = {H * n:,} entries is above the cap of"
                             f" {MAX_ARRAY_ENTRIES:,} entries ({8 * H * n / 1e9:,.1f} GB per array); use smaller H, n")
        if self.needs_rng and not isinstance(rng, np.random.Generator):
            raise TypeError(f"{self.name} draws its targets from rng: pass a numpy Generator, e.g."
                            f" np.random.default_rng(0), got {type(rng).__name__}")
        self.H, self.n, self.convention = H, n, convention

    @property
    def constant_reason(self):
        """Why L does not depend on D (so G = 0 and every check of it holds trivially), or "" if it does."""
        return ""

    def __repr__(self):
        return f"{type(self).__name__}(H={self.H}, n={self.n}, convention={self.convention!r})"

    @property
    def shape(self):
        """The shape of D this loss expects: (H, n) for D = W X, (n, H) for D = X W."""
        return (self.H, self.n) if self.convention == "WX" else (self.n, self.H)

    def _canon(self, D):
        if np.shape(D) != self.shape:
            raise ValueError(f"{self.name} was built for D of shape {self.shape} ({self.convention} convention),"
                             f" got D of shape {np.shape(D)}; build the loss with the shape of your D")
        D = real_array(D, "D")
        return D if self.convention == "WX" else D.T

    def value(self, D):
        """L = f(D), a Python float."""
        return float(self._value(self._canon(D)))

    def grad(self, D):
        """G = dL/dD, an array shaped like D."""
        G = self._grad(self._canon(D))
        return G if self.convention == "WX" else G.T

    def _rows_replaced(self, D, rows, R):
        """Loss values when row rows[k] of D (H, n) is replaced by R[k] (K, n); returns (K,). Exact, O(K n)."""
        raise NotImplementedError


class _Elementwise(Loss):
    """L = sum_ij term(D_ij, T_ij); a changed row only changes that row's terms."""
    T = None

    def _terms(self, D, T):
        raise NotImplementedError

    def _value(self, D):
        return self._terms(D, self.T).sum()

    def _rows_replaced(self, D, rows, R):
        T = None if self.T is None else self.T[rows]
        total = self._value(D)
        return total - self._terms(D[rows], T).sum(axis=1) + self._terms(R, T).sum(axis=1)


class Sum(_Elementwise):
    name, formula = "sum", r"L = \sum_{i,j} D_{ij}"

    def _terms(self, D, T):
        return D

    def _grad(self, D):
        return np.ones_like(D)


class SquaredError(_Elementwise):
    name, formula = "squared_error", r"L = \tfrac12 \sum_{i,j} (D_{ij} - T_{ij})^2"
    needs_rng = True

    def __init__(self, H, n, rng, convention="WX"):
        super().__init__(H, n, rng, convention)
        self.T = rng.standard_normal((self.H, self.n))  # targets, (H, n)

    def _terms(self, D, T):
        return 0.5 * (D - T) ** 2

    def _grad(self, D):
        return D - self.T


class LogCosh(_Elementwise):
    name, formula = "log_cosh", r"L = \sum_{i,j} \log\cosh(D_{ij} - T_{ij})"
    needs_rng = True

    def __init__(self, H, n, rng, convention="WX"):
        super().__init__(H, n, rng, convention)
        self.T = rng.standard_normal((self.H, self.n))

    def _terms(self, D, T):
        a = np.abs(D - T)  # log cosh a = a + log(1 + e^{-2a}) - log 2, without overflow
        return a + np.log1p(np.exp(-2 * a)) - np.log(2.0)

    def _grad(self, D):
        return np.tanh(D - self.T)


def _softmax(D, axis):
    """Softmax and log-sum-exp of D along axis (or over all entries for axis=None), overflow-safe."""
    top = D.max(axis=axis, keepdims=True)
    e = np.exp(D - top)
    total = e.sum(axis=axis, keepdims=True)
    return e / total, np.log(total) + top


class SoftmaxCrossEntropy(Loss):
    name = "softmax_cross_entropy"
    formula = r"L = \sum_j \big(\log \sum_i e^{D_{ij}} - D_{y_j j}\big)"
    needs_rng = True

    @property
    def constant_reason(self):
        if self.H == 1:
            return ("softmax cross-entropy over H = 1 class is constant (log e^D - D = 0 for every sample),"
                    " so G = 0")
        return ""

    def __init__(self, H, n, rng, convention="WX"):
        super().__init__(H, n, rng, convention)
        self.labels = rng.integers(0, self.H, size=self.n)  # one class label per sample (column)

    def _value(self, D):
        _, lse = _softmax(D, axis=0)
        return (lse[0] - D[self.labels, np.arange(self.n)]).sum()

    def _grad(self, D):
        P, _ = _softmax(D, axis=0)
        P[self.labels, np.arange(self.n)] -= 1.0
        return P

    def _rows_replaced(self, D, rows, R):
        P, lse = _softmax(D, axis=0)
        # log(S - e^{D_dj} + e^{R_j}) = lse_j + log1p(P_dj * expm1(R_j - D_dj)): no cancellation for small changes
        new_lse = lse[0] + np.log1p(P[rows] * np.expm1(R - D[rows]))
        picked = np.where(self.labels == rows[:, None], R, D[self.labels, np.arange(self.n)])
        return (new_lse - picked).sum(axis=1)


class LogSumExp(Loss):
    name, formula = "logsumexp", r"L = \log \sum_{i,j} e^{D_{ij}}"

    def _value(self, D):
        return _softmax(D, axis=None)[1].item()

    def _grad(self, D):
        return _softmax(D, axis=None)[0]

    def _rows_replaced(self, D, rows, R):
        P, lse = _softmax(D, axis=None)
        return lse.item() + np.log1p((P[rows] * np.expm1(R - D[rows])).sum(axis=1))


LOSSES = {cls.name: cls for cls in (Sum, SquaredError, SoftmaxCrossEntropy, LogSumExp, LogCosh)}


def make_loss(name, H, n, rng, convention="WX"):
    """Build the loss called name for D of shape (H, n) (or (n, H) with convention="XW"); targets from rng."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0), so targets are reproducible")
    return LOSSES[name](H, n, rng, convention)
