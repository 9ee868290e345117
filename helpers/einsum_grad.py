"""The index method for any contraction: the gradient of an np.einsum with respect to one operand.

For out = einsum("a,b->o", A, B) and G = dL/dout, the chain rule over every entry of out, with the
zero terms dropped as in notebook 03, gives dL/dA = einsum("o,b->a", G, B): the output's indices come
in (with G), the differentiated operand's indices go out.  An index of A that appears neither in the
output nor in another operand was summed away in the forward pass, so dL/dA does not depend on it: the
gradient is broadcast along it.
"""
import numpy as np

LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def parse(spec, n_operands):
    """'ik,kj->ij' -> (['ik', 'kj'], 'ij'); refuses what einsum_grad does not support, saying why."""
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a string such as 'ik,kj->ij', got {type(spec).__name__}")
    spec = spec.replace(" ", "")
    if "." in spec:
        raise ValueError(f"{spec!r}: ellipsis ('...') is not supported; name every axis with a letter")
    lhs, arrow, out = spec.partition("->")
    inputs = lhs.split(",")
    if not arrow:  # numpy's implicit output: the indices that appear once, in alphabetical order
        out = "".join(sorted(c for c in set(lhs) - {","} if lhs.count(c) == 1))
    if len(inputs) != n_operands:
        raise ValueError(f"{spec!r} names {len(inputs)} operand(s) but {n_operands} were given")
    for term in inputs + [out]:
        if set(term) - LETTERS:
            raise ValueError(f"{spec!r}: index letters only, got {term!r}")
        repeated = sorted(c for c in set(term) if term.count(c) > 1)
        if repeated:
            where = "the output" if term is out else f"operand {term!r}"
            raise ValueError(f"{spec!r}: index {repeated[0]!r} repeats within {where} (a diagonal or trace of one"
                             f" operand); einsum_grad does not support that: take the diagonal first")
    missing = set(out) - set("".join(inputs))
    if missing:
        raise ValueError(f"{spec!r}: output index {sorted(missing)[0]!r} appears in no operand")
    return inputs, out


def einsum_grad(spec, operands, g_out, wrt):
    """dL/d operands[wrt] for out = np.einsum(spec, *operands), given g_out = dL/dout (out's shape).

    spec: explicit ('ik,kj->ij') or implicit ('ik,kj'); no ellipsis, no index repeated within a term.
    operands: a list of arrays.  wrt: the operand number (0 for the first).
    """
    operands = [np.asarray(A) for A in operands]
    inputs, out = parse(spec, len(operands))
    if not isinstance(wrt, (int, np.integer)) or not 0 <= wrt < len(operands):
        raise ValueError(f"wrt must be an operand number from 0 to {len(operands) - 1}, got {wrt!r}")
    sizes = {}
    for k, (term, A) in enumerate(zip(inputs, operands)):
        if A.ndim != len(term):
            raise ValueError(f"operand {k} has shape {A.shape} but {term!r} names {len(term)} axes")
        for c, size in zip(term, A.shape):
            if sizes.setdefault(c, size) != size:
                raise ValueError(f"index {c!r} has size {sizes[c]} in one place and {size} in operand {k}")
    out_shape = tuple(sizes[c] for c in out)
    g_out = np.asarray(g_out, dtype=np.result_type(g_out, *operands))
    if g_out.shape != out_shape:
        raise ValueError(f"g_out has shape {g_out.shape}; the output {out!r} of {spec!r} has shape {out_shape}")
    target = inputs[wrt]
    others = [(t, A) for k, (t, A) in enumerate(zip(inputs, operands)) if k != wrt]
    available = set(out).union(*(set(t) for t, _ in others))
    kept = "".join(c for c in target if c in available)  # the rest were summed away: broadcast along them
    terms = ",".join([out] + [t for t, _ in others])
    grad = np.einsum(f"{terms}->{kept}", g_out, *(A for _, A in others))
    expanded = grad.reshape([sizes[c] if c in kept else 1 for c in target])
    return np.broadcast_to(expanded, operands[wrt].shape).copy()
