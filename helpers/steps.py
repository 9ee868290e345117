"""The derivation of dL/dW for D = W X, one checkable step at a time.

Each step computes its claim analytically and numerically and returns a CheckResult.  Steps 2 and 3
look at the numeric 4-D Jacobian in the (H, n, H, m) layout of D = W X; for D = X W it is transposed
into that layout first (D^T = W^T X^T), so one picture serves both conventions.
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .checks import CheckTable, compare
from .gradcheck import ATOL, RTOL, gradcheck
from .losses import make_loss
from .matmul import MatmulLoss
from .numeric import numerical_gradient, numerical_jacobian
from .validate import same_shape

TOL = 1e-8  # steps 2-3 compare a linear map's central differences: round-off only, ~ eps |D| / h ~ 1e-10


@dataclass(eq=False)
class Problem:
    """W, X and a loss; D = W X (H, n) with W (H, m), X (m, n), or D = X W (n, H) with X (n, m), W (m, H)."""
    W: np.ndarray
    X: np.ndarray
    loss: object
    convention: str = "WX"

    @classmethod
    def make(cls, H, m, n, seed=0, loss="squared_error", convention="WX"):
        """Draw W, X and the loss's targets from np.random.default_rng(seed)."""
        for name, v in (("H", H), ("m", m), ("n", n)):
            if int(v) != v or v < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {v!r}")
        H, m, n = int(H), int(m), int(n)
        rng = np.random.default_rng(seed)
        W = rng.standard_normal((H, m) if convention == "WX" else (m, H))
        X = rng.standard_normal((m, n) if convention == "WX" else (n, m))
        return cls(W, X, make_loss(loss, H, n, rng, convention), convention)

    @cached_property
    def f(self):
        """L as a function of W."""
        return MatmulLoss(self.loss, self.X, self.convention)

    @cached_property
    def D(self):
        return self.f.forward(self.W)

    @cached_property
    def G(self):
        """dL/dD from the loss's analytic gradient."""
        return self.loss.grad(self.D)

    @cached_property
    def jacobian(self):
        """Numeric dD/dW, shape D.shape + W.shape."""
        return numerical_jacobian(self.f.forward, self.W.copy())

    @cached_property
    def jacobian_canonical(self):
        """Numeric dD/dW in the (H, n, H, m) layout: J[i, j, d, c] = dD_ij / dW_dc for D = W X."""
        return self.jacobian if self.convention == "WX" else self.jacobian.transpose(1, 0, 3, 2)

    @cached_property
    def dW_numeric(self):
        return numerical_gradient(self.f, self.W.copy())

    @property
    def X_canonical(self):
        """X in the (m, n) layout."""
        return self.X if self.convention == "WX" else self.X.T

    def formula(self, step):
        return FORMULAS[self.convention][step]


FORMULAS = {
    "WX": ["G = dL/dD (the loss's own gradient)",
           "chain rule: dL/dW_dc = Σ_ij G_ij · dD_ij/dW_dc",
           "sparsity: dD_ij/dW_dc = 0 unless i = d",
           "local derivative: dD_dj/dW_dc = X_cj",
           "index sum: dL/dW_dc = Σ_j G_dj · X_cj",
           "matrix form: dL/dW = G Xᵀ"],
    "XW": ["G = dL/dD (the loss's own gradient)",
           "chain rule: dL/dW_cd = Σ_ij G_ij · dD_ij/dW_cd",
           "sparsity: dD_ij/dW_cd = 0 unless j = d",
           "local derivative: dD_id/dW_cd = X_ic",
           "index sum: dL/dW_cd = Σ_i X_ic · G_id",
           "matrix form: dL/dW = Xᵀ G"],
}


def check_loss_gradient(p):
    """Step 0: the loss's analytic G equals the numeric dL/dD."""
    return gradcheck(p.loss.value, p.D.copy(), p.G, name=p.formula(0))


def check_chain_rule(p):
    """Step 1: the numeric dL/dD contracted with the numeric 4-D dD/dW equals the numeric dL/dW."""
    G_num = numerical_gradient(p.loss.value, p.D.copy())
    contracted = np.einsum("ij,ijkl->kl", G_num, p.jacobian)
    return compare(p.formula(1), p.dW_numeric, contracted, ATOL, RTOL)


def block_mask(H, n, m):
    """Boolean (H, n, H, m) mask of the entries dD_ij/dW_dc with i = d."""
    same_row = np.eye(H, dtype=bool)[:, None, :, None]
    return np.broadcast_to(same_row, (H, n, H, m))


def check_sparsity(p):
    """Step 2: every entry with i != d is zero, and the nonzero ones are exactly 1/H of the Jacobian."""
    J = p.jacobian_canonical
    H, n, _, m = J.shape
    off = J[~block_mask(H, n, m)]
    result = compare(p.formula(2), np.zeros_like(off), off, TOL, 0.0)
    nonzero = int((np.abs(J) > TOL).sum())
    result.passed = result.passed and nonzero == H * n * m
    result.detail = f"nonzero: {nonzero} of {J.size} = 1/{J.size // max(nonzero, 1)}"
    return result


def check_local_derivative(p):
    """Step 3: dD_dj/dW_dc = X_cj for every d (each i = d block of the Jacobian is a copy of X^T)."""
    J = p.jacobian_canonical
    H = J.shape[0]
    blocks = J[np.arange(H), :, np.arange(H), :]  # (H, n, m): block d is dD_dj/dW_dc over (j, c)
    return compare(p.formula(3), np.broadcast_to(p.X_canonical.T, blocks.shape), blocks, TOL, 0.0)


def index_sum_loop(G, X, convention="WX"):
    """Σ_j G_dj X_cj as a plain triple loop (for "XW": Σ_i X_ic G_id); the reference for step 4."""
    Gc, Xc = (G, X) if convention == "WX" else (G.T, X.T)
    H, n = Gc.shape
    m = Xc.shape[0]
    dW = np.zeros((H, m))
    for d in range(H):
        for c in range(m):
            for j in range(n):
                dW[d, c] += Gc[d, j] * Xc[c, j]
    return dW if convention == "WX" else dW.T


def check_index_sum(p, dW=None):
    """Step 4: the index form (yours, or the plain loop) equals the numeric dL/dW."""
    dW = index_sum_loop(p.G, p.X, p.convention) if dW is None else dW
    same_shape(dW, p.W, "dW", "W")
    return compare(p.formula(4), p.dW_numeric, dW, ATOL, RTOL)


def check_matrix_form(p, dW=None):
    """Step 5: the matrix form (yours, or G X^T / X^T G) equals the numeric dL/dW."""
    if dW is None:
        dW = p.G @ p.X.T if p.convention == "WX" else p.X.T @ p.G
    same_shape(dW, p.W, "dW", "W")
    return compare(p.formula(5), p.dW_numeric, dW, ATOL, RTOL)


STEPS = (check_loss_gradient, check_chain_rule, check_sparsity, check_local_derivative, check_index_sum,
         check_matrix_form)


def run_steps(p):
    """Every step's check for the Problem p, as one CheckTable (truthy iff all pass)."""
    return CheckTable(step(p) for step in STEPS)


def check_derivation(H=3, m=4, n=5, seed=0, loss="squared_error", convention="WX"):
    """Run every step for one (H, m, n, seed, loss, convention); returns a CheckTable (truthy iff all pass)."""
    return run_steps(Problem.make(H, m, n, seed, loss, convention))


