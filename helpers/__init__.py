"""Numeric checks, losses, pictures and widgets for the gradient of a matrix product.

Notation: X (m, n) holds n samples as columns, W (H, m), D = W X (H, n), L = f(D) a scalar, G = dL/dD.
Importing this package has no side effects (no seeding, no plotting settings).

Every check returns a CheckResult (or a CheckTable of them) with a verdict: PASS, FAIL, TRIVIAL ("holds
trivially: the gradient is zero", truthy but not `meaningful`) or INCONCLUSIVE (round-off dominates, falsy).
Tolerance rule: |yours - ref| <= atol + rtol·|ref| per entry, the absolute part capped at 1e-3·max|ref|.
Inputs are never modified; bad input gets an error naming the fix; jobs above the size caps are refused
before any work (see helpers.validate).
"""
from . import exercise_bank, exercise_bank_beyond, exercises, plots  # the banks register the notebooks' exercises
from .checks import CheckResult, CheckTable, rel_error
from .einsum_grad import einsum_grad
from .gradcheck import gradcheck
from .losses import LOSSES, make_loss
from .matmul import MatmulLoss, matmul_grads
from .numeric import numerical_gradient, numerical_jacobian
from .shape_explorer import Explorer, Settings, ShapeCheck, explorer, vary_shapes
from .steps import (Problem, block_mask, check_chain_rule, check_derivation, check_index_sum,
                    check_local_derivative, check_loss_gradient, check_matrix_form, check_sparsity,
                    index_sum_loop, run_steps)

__all__ = [
    "CheckResult", "CheckTable", "Explorer", "LOSSES", "MatmulLoss", "Problem", "Settings", "ShapeCheck",
    "block_mask", "check_chain_rule", "check_derivation", "check_index_sum", "check_local_derivative",
    "check_loss_gradient", "check_matrix_form", "check_sparsity", "einsum_grad", "exercises", "explorer",
    "gradcheck", "index_sum_loop", "make_loss", "matmul_grads", "numerical_gradient", "numerical_jacobian",
    "plots", "rel_error", "run_steps", "vary_shapes",
]
