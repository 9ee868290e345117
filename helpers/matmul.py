"""The matrix product's gradients, and L(W) = f(W X) as a function gradcheck can differentiate fast."""
import numpy as np

from .numeric import INSTEAD_LOOP
from .validate import (MAX_JACOBIAN_BYTES, as_float64, check_bytes, check_convention, matmul_shapes, real_array,
                       same_shape, step_size)


def matmul_grads(W, X, G, convention="WX"):
    """(dL/dW, dL/dX) given G = dL/dD; inputs may be arrays or lists of real numbers (never modified).

    convention "WX": D = W X with W (H, m), X (m, n), G (H, n): dW = G X^T (H, m), dX = W^T G (m, n).
    convention "XW": D = X W with X (n, m), W (m, H), G (n, H): dW = X^T G (m, H), dX = G W^T (n, m).
    """
    check_convention(convention)
    W, X, G = (real_array(A, name) for A, name in ((W, "W"), (X, "X"), (G, "G")))
    H, m, n = matmul_shapes(W, X, convention)
    D_shape = (H, n) if convention == "WX" else (n, H)
    same_shape(G, np.empty(D_shape), "G", f"D = {'W X' if convention == 'WX' else 'X W'}")
    if convention == "WX":
        return G @ X.T, W.T @ G
    return X.T @ G, G @ W.T


class MatmulLoss:
    """L(W) = loss(W @ X) (convention "WX") or loss(X @ W) ("XW"), as a callable of W.

    X: (m, n) for "WX", (n, m) for "XW" (an array or list of reals; stored as a float64 copy).
    loss: a helpers loss built for D's shape and convention (helpers.make_loss).
    `central_differences(W, h)` gives the same central-difference quotients as
    numerical_gradient(self, W, h), exactly in exact arithmetic but in O(H m n) instead of O(H^2 m^2 n):
    moving W_dc by h moves only row d of D = W X, by h X[c, :] (for "XW", column d of D by h X[:, c]),
    so each perturbed loss is the old one with one row of D replaced.  Tests compare it with the plain loop.
    """

    def __init__(self, loss, X, convention="WX"):
        check_convention(convention)
        if not all(hasattr(loss, a) for a in ("value", "H", "n", "convention", "_rows_replaced")):
            raise TypeError(f"loss must be a helpers loss, e.g. helpers.make_loss('squared_error', H, n, rng),"
                            f" got {type(loss).__name__}")
        if loss.convention != convention:
            raise ValueError(f"the loss was built for convention {loss.convention!r}, not {convention!r}")
        X = real_array(X, "X")
        self.loss, self.X, self.convention = loss, X, convention
        H, n = loss.H, loss.n
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D matrix, got shape {X.shape}")
        self.w_shape = (H, X.shape[0]) if convention == "WX" else (X.shape[1], H)
        if (X.shape[1] if convention == "WX" else X.shape[0]) != n:
            raise ValueError(f"X has shape {X.shape} but the loss was built for n = {n} samples"
                             f" ({'columns' if convention == 'WX' else 'rows'} of X)")

    def __repr__(self):
        return f"MatmulLoss({self.loss!r}, X of shape {self.X.shape})"

    def _check(self, W):
        if not (type(W) is np.ndarray and W.dtype == np.float64):  # arrays are only read, never copied
            W = real_array(W, "W")
        if W.shape != self.w_shape:
            raise ValueError(f"W has shape {W.shape}; this L(W) was built for W of shape {self.w_shape}")
        return W

    def forward(self, W):
        """D = W X or X W."""
        W = self._check(W)
        return W @ self.X if self.convention == "WX" else self.X @ W

    def __call__(self, W):
        return self.loss.value(self.forward(W))

    def central_differences(self, W, h):
        """(L(W + h E_k) - L(W - h E_k)) / 2h for every entry k of W; returns an array of W's shape."""
        as_float64(W, "W")
        h = step_size(h, strict=False)
        D = self.forward(W)
        Dc, Xr = (D, self.X) if self.convention == "WX" else (D.T, self.X.T)  # rows of Dc move by rows of Xr
        H, m = Dc.shape[0], Xr.shape[0]
        n = Dc.shape[1]
        check_bytes(5 * 8 * H * m * n, f"central differences of L(W) over W of shape {W.shape} (arrays of"
                    f" {H * m:,} perturbed rows of D)", INSTEAD_LOOP, cap=2 * MAX_JACOBIAN_BYTES)
        rows, cols = np.divmod(np.arange(H * m), m)  # entry k = (d, c) of the (H, m) picture
        step = h * Xr[cols]
        up = self.loss._rows_replaced(Dc, rows, Dc[rows] + step)
        down = self.loss._rows_replaced(Dc, rows, Dc[rows] - step)
        grad = ((up - down) / (2 * h)).reshape(H, m)
        return grad if self.convention == "WX" else grad.T
