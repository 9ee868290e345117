"""The index method for any contraction: the gradient of an np.einsum with respect to one operand.

For out = einsum("a,b->o", A, B) and G = dL/dout, the chain rule over every entry of out, with the
zero terms dropped as in notebook 03, gives dL/dA = einsum("o,b->a", G, B): the output's indices come
in (with G), the differentiated operand's indices go out.  An index of A that appears neither in the
output nor in another operand was summed away in the forward pass, so dL/dA does not depend on it: the
gradient is broadcast along it.
"""
import numbers

import numpy as np

from .validate import check_finite

LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
MAX_INDEX_SPACE = 10**9  # product of every index size: the work of one einsum over all of them


def parse(spec, n_operands):
    """'ik,kj->ij' -> (['ik', 'kj'], 'ij'); refuses what einsum_grad does not support, saying why."""
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a string such as 'ik,kj->ij', got {type(spec).__name__}")
    spec = spec.replace(" ", "")
    if "." in spec:
        raise ValueError(f"{spec!r}: ellipsis ('...') is not supported; name every axis with a letter")
    stray = sorted(set(spec.replace("->", "")) - LETTERS - {","})
    if stray:
        raise ValueError(f"{spec!r}: {stray[0]!r} is not allowed in a spec; use letters for indices, ',' between"
                         f" operands and '->' before the output, as in 'ij,jk->ik'")
    if spec.count("->") > 1:
        raise ValueError(f"{spec!r}: '->' may appear once, before the output indices")
    lhs, arrow, out = spec.partition("->")
    if "," in out:
        raise ValueError(f"{spec!r}: the output after '->' is one term (no ',')")
    inputs = lhs.split(",")
    if not arrow:  # numpy's implicit output: the indices that appear once, in alphabetical order
        out = "".join(sorted(c for c in set(lhs) - {","} if lhs.count(c) == 1))
    if len(inputs) != n_operands:
        raise ValueError(f"{spec!r} names {len(inputs)} operand(s) but {n_operands} were given")
    for term in inputs + [out]:
        repeated = sorted(c for c in set(term) if term.count(c) > 1)
        if repeated:
            where = "the output" if term is out else f"operand {term!r}"
            raise ValueError(f"{spec!r}: index {repeated[0]!r} repeats within {where} (a diagonal or trace of one"
                             f" operand); einsum_grad does not support that: take the diagonal first")
    missing = set(out) - set("".join(inputs))
    if missing:
        raise ValueError(f"{spec!r}: output index {sorted(missing)[0]!r} appears in no operand")
    return inputs, out


def _operand(A, name):
    """A as an ndarray of real numbers (ints become float64); refuses None, bool, complex and non-numbers."""
    if A is None:
        raise TypeError(f"{name} is None; pass an array (dL/dout for g_out: e.g. np.ones(out.shape) for L = out.sum())")
    try:
        A = np.asarray(A)
    except ValueError as err:
        raise ValueError(f"{name} is not a rectangular array ({err})")
    if A.dtype.kind == "b":
        raise TypeError(f"{name} is a bool array: einsum would compute logical and/or instead of products and sums;"
                        f" use {name}.astype(np.float64)")
    if A.dtype.kind == "c":
        raise TypeError(f"{name} is complex; einsum_grad handles real arrays (treat real and imaginary parts apart)")
    if A.dtype.kind not in "iuf":
        raise TypeError(f"{name} has dtype {A.dtype}; pass an array of real numbers")
    check_finite(A, name)
    return A.astype(np.float64) if A.dtype.kind in "iu" else A  # integer products and sums overflow silently


def einsum_grad(spec, operands, g_out, wrt):
    """dL/d operands[wrt] for out = np.einsum(spec, *operands), given g_out = dL/dout (out's shape).

    spec: explicit ('ik,kj->ij') or implicit ('ik,kj': the indices that appear once, alphabetically); no
    ellipsis, no index repeated within a term.  operands: a list (or tuple) of real arrays, never modified.
    g_out: array or list of out's shape.  wrt: the operand number (0 for the first).
    Returns a new array of operands[wrt]'s shape.
    """
    if isinstance(operands, np.ndarray) or not isinstance(operands, (list, tuple)):
        raise TypeError(f"operands must be a list of arrays, e.g. [A, B] (or [A] for one operand), got"
                        f" {type(operands).__name__}")
    operands = [_operand(A, f"operand {k}") for k, A in enumerate(operands)]
    inputs, out = parse(spec, len(operands))
    if isinstance(wrt, (bool, np.bool_)) or not isinstance(wrt, numbers.Integral) or not 0 <= wrt < len(operands):
        raise ValueError(f"wrt must be an operand number from 0 to {len(operands) - 1}, got {wrt!r}")
    sizes = {}
    for k, (term, A) in enumerate(zip(inputs, operands)):
        if A.ndim != len(term):
            raise ValueError(f"operand {k} has shape {A.shape} but {term!r} names {len(term)} axes")
        for c, size in zip(term, A.shape):
            if sizes.setdefault(c, size) != size:
                raise ValueError(f"index {c!r} has size {sizes[c]} in one place and {size} in operand {k}")
    space = int(np.prod([sizes[c] for c in sizes], dtype=np.float64))
    if space > MAX_INDEX_SPACE:
        raise ValueError(f"{spec!r} spans {space:,} index combinations (cap {MAX_INDEX_SPACE:,}); the gradient"
                         f" would take minutes: use smaller operands")
    out_shape = tuple(sizes[c] for c in out)
    g_out = _operand(g_out, "g_out")
    if g_out.shape != out_shape:
        raise ValueError(f"g_out has shape {g_out.shape}; the output {out!r} of {spec!r} has shape {out_shape}")
    target = inputs[wrt]
    others = [(t, A) for k, (t, A) in enumerate(zip(inputs, operands)) if k != wrt]
    available = set(out).union(*(set(t) for t, _ in others))
    kept = "".join(c for c in target if c in available)  # the rest were summed away: broadcast along them
    terms = ",".join([out] + [t for t, _ in others])
    grad = np.einsum(f"{terms}->{kept}", g_out, *(A for _, A in others), optimize=len(others) > 1)
    expanded = grad.reshape([sizes[c] if c in kept else 1 for c in target])  # summed-away axes: size 1, in place
    return np.broadcast_to(expanded, operands[wrt].shape).copy()
