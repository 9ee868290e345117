"""The derivation of dL/dW for D = W X, one checkable step at a time.

Each step computes its claim analytically and numerically and returns a CheckResult.  Steps 2 and 3
look at the numeric 4-D Jacobian in the (H, n, H, m) layout of D = W X; for D = X W it is transposed
into that layout first (D^T = W^T X^T), so one picture serves both conventions.
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .checks import CheckTable, compare
from .gradcheck import ATOL, RTOL
from .losses import LOSSES, make_loss
from .matmul import MatmulLoss
from .numeric import H_DEFAULT, noise_level, numerical_gradient, numerical_jacobian, roundoff
from .validate import (MAX_ARRAY_ENTRIES, _size, check_convention, matmul_shapes, real_array, same_shape, seed_value,
                       whole_number)

TOL = 1e-8  # steps 2-3 compare a linear map's central differences: round-off only, ~ eps |D| / h ~ 1e-10
MAX_JACOBIAN_ENTRIES = 1_000_000  # the derivation's 4-D Jacobian: H·n·H·m entries, 8 MB
MAX_WORK = 1e9  # multiply-adds of the derivation's entry-by-entry loops (about a second)
MAX_LOOP = 5_000_000  # Python iterations of index_sum_loop (about 2 s)


def derivation_size(H, m, n):
    """Refuse, before any work, a derivation above a cap; the message names that cap, what the shape would need
    and what to do instead."""
    entries = H * n * H * m
    work = 4 * H * m * (H * m * n) + 4 * H * n * (H * n)  # dW and dL/dD loops (and the Jacobian's), each O(size)
    shape = f"checking every step for H = {H}, m = {m}, n = {n}"
    instead = (" Use H, m, n up to about 30 to see every step; for a big layer check the matrix form directly:"
               " p = helpers.Problem.make(H, m, n); helpers.gradcheck(p.f, p.W, p.G @ p.X.T, mode='directional',"
               " rng=np.random.default_rng(0))")
    if entries > MAX_JACOBIAN_ENTRIES:
        raise ValueError(f"{shape} would build the 4-D Jacobian dD/dW with H·n·H·m = {entries:,} entries"
                         f" ({_size(8 * entries)}), more than the {MAX_JACOBIAN_ENTRIES:,} entries"
                         f" ({_size(8 * MAX_JACOBIAN_ENTRIES)}) this check builds." + instead)
    if work > MAX_WORK:
        raise ValueError(f"{shape} would evaluate L {4 * H * m + 4 * H * n:,} times at O(H·m·n) each, about {work:.1e}"
                         f" multiply-adds, more than the {MAX_WORK:.0e} (about a second) this check spends." + instead)


@dataclass(eq=False)
class Problem:
    """W, X and a loss; D = W X (H, n) with W (H, m), X (m, n), or D = X W (n, H) with X (n, m), W (m, H).

    W and X are stored as float64 copies (lists and integer arrays are accepted; bool/complex are refused).
    """
    W: np.ndarray
    X: np.ndarray
    loss: object
    convention: str = "WX"

    def __post_init__(self):
        check_convention(self.convention)
        self.W, self.X = real_array(self.W, "W"), real_array(self.X, "X")
        H, m, n = matmul_shapes(self.W, self.X, self.convention)
        if not all(hasattr(self.loss, a) for a in ("value", "grad", "shape", "convention")):
            raise TypeError(f"loss must be a helpers loss, e.g. helpers.make_loss('squared_error', {H}, {n}, rng),"
                            f" got {type(self.loss).__name__}")
        D_shape = (H, n) if self.convention == "WX" else (n, H)
        if self.loss.convention != self.convention or tuple(self.loss.shape) != D_shape:
            raise ValueError(f"the loss was built for D of shape {tuple(self.loss.shape)} (convention"
                             f" {self.loss.convention!r}), but D = {'W X' if self.convention == 'WX' else 'X W'} has"
                             f" shape {D_shape} (convention {self.convention!r}); build it with make_loss(name, {H},"
                             f" {n}, rng, convention={self.convention!r})")

    @classmethod
    def make(cls, H, m, n, seed=0, loss="squared_error", convention="WX"):
        """Draw W, X and the loss's targets from np.random.default_rng(seed).

        "XW" uses the transposes of the "WX" draws (X_XW = X_WXᵀ, W_XW = W_WXᵀ, D and G transposed too), so
        switching the convention shows the same numbers and dL/dW becomes the transpose of the other's."""
        H, m, n = whole_number(H, "H"), whole_number(m, "m"), whole_number(n, "n")
        seed = seed_value(seed)
        check_convention(convention)
        if not isinstance(loss, str) or loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)}")
        for label, size in (("W", H * m), ("X", m * n), ("D", H * n)):
            if size > MAX_ARRAY_ENTRIES:
                raise ValueError(f"{label} would have {size:,} entries ({8 * size / 1e9:,.1f} GB), above the cap of"
                                 f" {MAX_ARRAY_ENTRIES:,}; use smaller H, m, n")
        rng = np.random.default_rng(seed)
        W, X = rng.standard_normal((H, m)), rng.standard_normal((m, n))
        if convention == "XW":
            W, X = W.T, X.T
        return cls(W, X, make_loss(loss, H, n, rng, convention), convention)

    @property
    def sizes(self):
        """(H, m, n)."""
        return matmul_shapes(self.W, self.X, self.convention)

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
    def L(self):
        """The loss at W."""
        return self.loss.value(self.D)

    @property
    def noise(self):
        """Estimated round-off of one central difference of L: 100·eps·|L|/h."""
        return roundoff(self.L, H_DEFAULT)

    @cached_property
    def measured_noise(self):
        """The round-off of one central difference of L(W), from L's own round-off measured near W (8 calls)."""
        return roundoff(self.L, H_DEFAULT, noise_level(self.f, self.W, H_DEFAULT, known={0: self.L})[0])

    @cached_property
    def measured_noise_D(self):
        """The same for the loss as a function of D (the numeric dL/dD of step 1)."""
        return roundoff(self.L, H_DEFAULT, noise_level(self.loss.value, self.D, H_DEFAULT, known={0: self.L})[0])

    @cached_property
    def jacobian(self):
        """Numeric dD/dW, shape D.shape + W.shape."""
        derivation_size(*self.sizes)
        return numerical_jacobian(self.f.forward, self.W.copy())

    @cached_property
    def jacobian_canonical(self):
        """Numeric dD/dW in the (H, n, H, m) layout: J[i, j, d, c] = dD_ij / dW_dc for D = W X."""
        return self.jacobian if self.convention == "WX" else self.jacobian.transpose(1, 0, 3, 2)

    @cached_property
    def dW_numeric(self):
        derivation_size(*self.sizes)
        return numerical_gradient(self.f, self.W.copy())

    @cached_property
    def G_numeric(self):
        """Numeric dL/dD by central differences, computed once: steps 0 and 1 both use it."""
        derivation_size(*self.sizes)
        return numerical_gradient(self.loss.value, self.D.copy())

    @property
    def X_canonical(self):
        """X in the (m, n) layout."""
        return self.X if self.convention == "WX" else self.X.T

    def formula(self, step):
        """The claim of step 0-5 in this convention's index names."""
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step < 6:
            raise ValueError(f"step must be a number from 0 to 5, got {step!r}")
        return FORMULAS[self.convention][step]

    def why_trivial(self, result):
        """result, with the loss's reason attached when it held trivially."""
        if result.trivial and self.loss.constant_reason:
            result.reason = self.loss.constant_reason
        return result


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


def _problem(p, caller):
    if not isinstance(p, Problem):
        raise TypeError(f"{caller} needs a helpers.Problem, got {type(p).__name__} {p!r:.40}; build one with"
                        f" p = helpers.Problem.make(3, 4, 5) (or Problem(W, X, loss)), or call"
                        f" helpers.check_derivation(H, m, n)")


def check_loss_gradient(p):
    """Step 0: the loss's analytic G equals the numeric dL/dD."""
    _problem(p, "check_loss_gradient")
    return _compare(p, p.formula(0), p.G_numeric, p.G, lambda: p.measured_noise_D)


def check_chain_rule(p):
    """Step 1: the numeric dL/dD contracted with the numeric 4-D dD/dW equals the numeric dL/dW."""
    _problem(p, "check_chain_rule")
    derivation_size(*p.sizes)
    contracted = np.einsum("ij,ijkl->kl", p.G_numeric, p.jacobian)
    # G_num's round-off reaches an entry of dW through sum_ij |dD_ij/dW_dc| (at most the largest column sum of |X|)
    through_J = float(np.abs(p.jacobian_canonical).sum(axis=(0, 1)).max())
    return _compare(p, p.formula(1), p.dW_numeric, contracted,
                    lambda: p.measured_noise + p.measured_noise_D * through_J)


def block_mask(H, n, m):
    """Boolean (H, n, H, m) mask of the entries dD_ij/dW_dc with i = d (a read-only broadcast view)."""
    H, n, m = whole_number(H, "H"), whole_number(n, "n"), whole_number(m, "m")
    same_row = np.eye(H, dtype=bool)[:, None, :, None]
    return np.broadcast_to(same_row, (H, n, H, m))


def check_sparsity(p):
    """Step 2: every entry with i != d is zero, and the nonzero ones are exactly the i = d entries where X != 0.

    With no zero in X that is H·n·m entries, 1/H of the Jacobian; a zero X_cj makes dD_dj/dW_dc = 0 too.
    """
    _problem(p, "check_sparsity")
    J = p.jacobian_canonical
    H, n, _, m = J.shape
    off = J[~block_mask(H, n, m)]
    result = compare(p.formula(2), np.zeros_like(off), off, TOL, 0.0, zero_is_trivial=False)
    nonzero = int((np.abs(J) > TOL).sum())
    x_zeros = int((np.abs(p.X_canonical) <= TOL).sum())
    expected = H * (n * m - x_zeros)  # counted from X, independently of J
    result.passed = result.passed and nonzero == expected
    result.verdict = "PASS" if result.passed else "FAIL"
    result.detail = f"nonzero: {nonzero} of {J.size} = 1/{J.size // max(nonzero, 1)}"
    if x_zeros:
        result.detail += f" (X has {x_zeros} zero entries)"
    if nonzero != expected:
        result.detail += f"; expected {expected} = H·(entries of X that are not 0)"
    return result


def check_local_derivative(p):
    """Step 3: dD_dj/dW_dc = X_cj for every d (each i = d block of the Jacobian is a copy of X^T)."""
    _problem(p, "check_local_derivative")
    J = p.jacobian_canonical
    H = J.shape[0]
    blocks = J[np.arange(H), :, np.arange(H), :]  # (H, n, m): block d is dD_dj/dW_dc over (j, c)
    claim = np.broadcast_to(p.X_canonical.T, blocks.shape)
    result = compare(p.formula(3), claim, blocks, TOL, 0.0, reason="X is zero, so D does not depend on W")
    if result.status == "FAIL":  # round-off? each entry carries D_dj's, eps·(|W| |X|)_dj / h: above TOL at large X
        sizes = np.abs(p.W) @ np.abs(p.X) if p.convention == "WX" else np.abs(p.X) @ np.abs(p.W)
        result = compare(p.formula(3), claim, blocks, TOL, 0.0, reason="X is zero, so D does not depend on W",
                         noise=roundoff(sizes.max(), H_DEFAULT))
    return result


def index_sum_loop(G, X, convention="WX"):
    """Σ_j G_dj X_cj as a plain triple loop (for "XW": Σ_i X_ic G_id); the reference for step 4.

    G: (H, n), X: (m, n) for "WX" (G (n, H), X (n, m) for "XW").  Returns dL/dW, (H, m) ((m, H) for "XW").
    Refuses more than 5,000,000 iterations (use the matrix form G @ X.T, the same sums).
    """
    check_convention(convention)
    G, X = real_array(G, "G"), real_array(X, "X")
    if G.ndim != 2 or X.ndim != 2:
        raise ValueError(f"G and X must be 2-D matrices, got shapes {G.shape} and {X.shape}")
    Gc, Xc = (G, X) if convention == "WX" else (G.T, X.T)
    H, n = Gc.shape
    m = Xc.shape[0]
    if Xc.shape[1] != n:
        raise ValueError(f"G has shape {G.shape} and X has shape {X.shape}: the summed index (samples) must have"
                         f" one size in both; for {convention!r} G is {'(H, n)' if convention == 'WX' else '(n, H)'}"
                         f" and X is {'(m, n)' if convention == 'WX' else '(n, m)'}")
    if H * m * n > MAX_LOOP:
        raise ValueError(f"index_sum_loop would run H·m·n = {H * m * n:,} Python iterations (about"
                         f" {H * m * n * 4e-7:,.0f} s; cap {MAX_LOOP:,}); use the matrix form"
                         f" {'G @ X.T' if convention == 'WX' else 'X.T @ G'}, which computes the same sums")
    dW = np.zeros((H, m))
    for d in range(H):
        for c in range(m):
            for j in range(n):
                dW[d, c] += Gc[d, j] * Xc[c, j]
    return dW if convention == "WX" else dW.T


def check_index_sum(p, dW=None):
    """Step 4: the index form (yours, or the plain loop) equals the numeric dL/dW."""
    _problem(p, "check_index_sum")
    dW = index_sum_loop(p.G, p.X, p.convention) if dW is None else dW
    same_shape(dW, p.W, "dW", "W")
    return _compare(p, p.formula(4), p.dW_numeric, dW)


def check_matrix_form(p, dW=None):
    """Step 5: the matrix form (yours, or G X^T / X^T G) equals the numeric dL/dW."""
    _problem(p, "check_matrix_form")
    if dW is None:
        dW = p.G @ p.X.T if p.convention == "WX" else p.X.T @ p.G
    same_shape(dW, p.W, "dW", "W")
    return _compare(p, p.formula(5), p.dW_numeric, dW)


def _compare(p, name, numeric, candidate, measured=None):
    """compare() with L's |L|-based round-off; before a FAIL, with L's round-off measured near W (as gradcheck):
    a difference that round-off can explain is INCONCLUSIVE, never FAIL."""
    result = compare(name, numeric, candidate, ATOL, RTOL, noise=p.noise)
    if result.status == "FAIL":
        noise = measured() if measured else p.measured_noise
        if noise > p.noise:
            result = compare(name, numeric, candidate, ATOL, RTOL, noise=noise, trivial_noise=p.noise)
    return p.why_trivial(result)


STEPS = (check_loss_gradient, check_chain_rule, check_sparsity, check_local_derivative, check_index_sum,
         check_matrix_form)


def run_steps(p):
    """Every step's check for the Problem p, as one CheckTable (truthy iff all hold; .meaningful iff none trivially).

    Refuses, before any work, shapes whose Jacobian or loops exceed the caps (see derivation_size).
    """
    _problem(p, "run_steps")
    derivation_size(*p.sizes)
    return CheckTable(step(p) for step in STEPS)


def check_derivation(H=3, m=4, n=5, seed=0, loss="squared_error", convention="WX"):
    """Run every step for one (H, m, n, seed, loss, convention); returns a CheckTable (truthy iff all hold).

    With H = 1 and loss="softmax_cross_entropy" L is constant, so G = 0: steps 0, 1, 4 and 5 come out TRIVIAL
    ("holds trivially: the gradient is zero") with the reason; check `table.meaningful` to demand real passes.
    """
    H, m, n = whole_number(H, "H"), whole_number(m, "m"), whole_number(n, "n")
    derivation_size(H, m, n)
    return run_steps(Problem.make(H, m, n, seed, loss, convention))
