"""A tally of bad and odd inputs across the public API, by class (issue 12's closing note).

Each input is classified: a clear error (TypeError/ValueError raised by helpers itself), a correct result
(checked against an independent expectation), a warned result (an h outside the sensible range given to a raw
tool), a raw traceback, a silently WRONG result, or slow (> 2 s).  The test demands no raw, wrong or slow one.
Run `python tests/test_robust_tally.py` to print the table.
"""
import collections
import time
import traceback
import warnings

import numpy as np

import helpers
from helpers import (MatmulLoss, Problem, block_mask, check_chain_rule, check_derivation, check_index_sum,
                     check_local_derivative, check_matrix_form, check_sparsity, einsum_grad, gradcheck,
                     index_sum_loop, make_loss, matmul_grads, numerical_gradient, numerical_jacobian, run_steps)


def rng0():
    return np.random.default_rng(0)


def sq(A):
    return float(np.sum(A ** 2))


def tally():
    """{class: Counter of outcomes}, [(class, input, outcome) for every raw, wrong or slow one]."""
    counts = collections.defaultdict(collections.Counter)
    bad = []

    def run(cls, label, call, ok=lambda r: True):
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                r = call()
            except (TypeError, ValueError) as e:
                last = traceback.extract_tb(e.__traceback__)[-1]
                numpy_words = any(w in str(e) for w in ("ufunc", "casting rule", "could not be coerced"))
                kind = "error" if "/helpers/" in last.filename and len(str(e)) > 20 and not numpy_words else "raw"
            except Exception:  # noqa: BLE001 - anything else is a raw traceback
                kind = "raw"
            else:
                kind = "correct" if ok(r) else ("warned" if caught else "WRONG")
        if time.perf_counter() - start > 2:
            kind = "slow"
        counts[cls][kind] += 1
        counts[cls]["tried"] += 1
        if kind in ("raw", "WRONG", "slow"):
            bad.append((cls, label, kind))

    A = rng0().standard_normal((3, 4))
    A_before = A.copy()
    p = Problem.make(3, 4, 5)
    # 1 tolerance / false pass
    C = "tolerance (false PASS)"
    notpass = lambda r: not r.meaningful
    run(C, "h=1e-14 2x", lambda: gradcheck(sq, A, 4*A, h=1e-14), notpass)
    for h in (1e-10, 1e-8, 1e-4, 1e-3): run(C, f"h={h} 2x", lambda: gradcheck(sq, A, 4*A, h=h), notpass)
    for c in (1e10, 1e8, 1e6, 1e4): run(C, f"{c}+sum zero", lambda: gradcheck(lambda A: c + sq(A), A, 0*A), notpass)
    for c in (1e10, 1e6): run(C, f"{c}+sum zero dir", lambda: gradcheck(lambda A: c + sq(A), A, 0*A, mode="directional", rng=rng0()), notpass)
    for s in (1e-6, 1e-9, 1e-12): run(C, f"scale {s} 2x", lambda: gradcheck(lambda A: s*sq(A), A, 4*s*A), notpass)
    for s in (1e-6, 1e-9): run(C, f"scale {s} right", lambda: gradcheck(lambda A: s*sq(A), A, 2*s*A), lambda r: r.meaningful)
    run(C, "atol=10 2x", lambda: gradcheck(sq, A, 4*A, atol=10), notpass)
    run(C, "rtol=0.5 half", lambda: gradcheck(sq, A, A, rtol=0.5), notpass)
    run(C, "atol=-1", lambda: gradcheck(sq, A, 2*A, atol=-1), notpass)
    run(C, "rtol nan", lambda: gradcheck(sq, A, 2*A, rtol=np.nan), notpass)
    # 2 bad f
    C = "bad f"
    rets = {"str": "1.0", "bool": True, "np.bool": np.bool_(True), "int": 3, "np.int": np.int64(3), "complex": 1+1j,
            "float32": np.float32(1), "float16": np.float16(1), "None": None, "array": np.ones(2), "list": [1.0],
            "object": object(), "nan": np.nan, "inf": np.inf}
    for k, v in rets.items():
        run(C, f"gradcheck {k}", lambda: gradcheck(lambda A: v, A, A), lambda r: False)
        run(C, f"dir {k}", lambda: gradcheck(lambda A: v, A, A, mode="directional", rng=rng0()), lambda r: False)
        run(C, f"numgrad {k}", lambda: numerical_gradient(lambda A: v, A), lambda r: False)
    run(C, "int(loss)", lambda: gradcheck(lambda A: int(sq(A)), A, 2*A), lambda r: False)
    r = np.random.default_rng(1)
    run(C, "random", lambda: gradcheck(lambda A: sq(A) + r.random(), A, 2*A), lambda r: False)
    run(C, "random numgrad", lambda: numerical_gradient(lambda A: sq(A) + r.random(), A), lambda r: False)
    run(C, "random jac", lambda: numerical_jacobian(lambda A: A + r.random(), A), lambda r: False)
    def mut(B): B += 1; return sq(B)
    run(C, "mutating", lambda: gradcheck(mut, A, 2*A), lambda r: False)
    run(C, "mutating numgrad", lambda: numerical_gradient(mut, A), lambda r: False)
    run(C, "mutating jac", lambda: numerical_jacobian(lambda B: B.__iadd__(1), A), lambda r: False)
    run(C, "not callable", lambda: gradcheck(3, A, A), lambda r: False)
    run(C, "not callable numgrad", lambda: numerical_gradient("f", A), lambda r: False)
    run(C, "jac None", lambda: numerical_jacobian(lambda A: None, A), lambda r: False)
    run(C, "jac bool", lambda: numerical_jacobian(lambda A: A > 0, A), lambda r: False)
    run(C, "jac int", lambda: numerical_jacobian(lambda A: np.round(A).astype(int), A), lambda r: False)
    run(C, "jac complex", lambda: numerical_jacobian(lambda A: A + 0j, A), lambda r: False)
    run(C, "jac shape change", lambda: numerical_jacobian(lambda B: B if B[0, 0] == A[0, 0] else B[0], A), lambda r: False)
    run(C, "jac one-sided inf", lambda: numerical_jacobian(lambda B: np.where(B > A + 1e-7, np.inf, B), A), lambda r: False)
    run(C, "numgrad one-sided inf", lambda: numerical_gradient(lambda B: float(np.where(B > A + 1e-7, np.inf, B).sum()), A), lambda r: False)
    # 3 bad h
    C = "bad h"
    for h in (0, 0.0, np.nan, np.inf, -1e-6, "1e-6", None, np.array([1e-6]), np.array(1e-6), True, 1j, 1e-14, 1e-20, 10, 1e3):
        run(C, f"gradcheck h={h!r}", lambda: gradcheck(sq, A, 2*A, h=h), lambda r: r.meaningful)
        run(C, f"numgrad h={h!r}", lambda: numerical_gradient(sq, A, h), lambda r: np.allclose(r, 2*A, rtol=1e-5))
        run(C, f"numjac h={h!r}", lambda: numerical_jacobian(np.sin, A, h), lambda r: np.allclose(r.reshape(12, 12), np.diag(np.cos(A).ravel()), atol=1e-5))
        run(C, f"central_differences h={h!r}", lambda: p.f.central_differences(p.W, h), lambda r: np.allclose(r, p.G @ p.X.T, rtol=1e-5))
    # 4 odd arrays
    C = "odd arrays"
    ro = A.copy(); ro.flags.writeable = False
    bc = np.broadcast_to(A[0], (3, 4))
    arrays = {"list": A.tolist(), "int": np.arange(6).reshape(2, 3), "float32": A.astype(np.float32), "bool": A > 0,
              "complex": A + 0j, "empty": np.zeros((0, 3)), "nan": np.where(A > 1, np.nan, A), "inf": np.where(A > 1, np.inf, A),
              "read-only": ro, "broadcast": bc, "0-d": np.array(1.5), "huge": A * 1e12, "object": A.astype(object),
              "strings": np.array([["a"]]), "None": None}
    for k, X in arrays.items():
        ref = lambda r, X=X: np.allclose(r, 2 * np.asarray(X, dtype=float), rtol=1e-5)
        run(C, f"numgrad {k}", lambda: numerical_gradient(sq, X), ref)
        run(C, f"gradcheck {k}", lambda: gradcheck(sq, X, 2 * np.asarray(X, float) if k not in ("strings", "None", "object", "complex") else X), lambda r: r.meaningful or r.trivial)
        run(C, f"numjac {k}", lambda: numerical_jacobian(lambda B: 2 * B, X), lambda r: np.allclose(r.reshape(np.size(X), -1), 2 * np.eye(np.size(X)), atol=1e-6))
        run(C, f"gradcheck grad={k}", lambda: gradcheck(sq, A, X), lambda r: not r)  # grad = X is not 2A: a FAIL is the right verdict
    # 5 matmul
    C = "matmul_grads / MatmulLoss"
    W, X, G = p.W, p.X, p.G
    exp = (G @ X.T, W.T @ G)
    okm = lambda r: np.allclose(r[0], exp[0]) and np.allclose(r[1], exp[1])
    for k, args in {"lists": (W.tolist(), X.tolist(), G.tolist()), "bool": (W > 0, X > 0, G > 0), "complex": (W + 0j, X, G),
                    "ints": (W.astype(int), X, G), "3-D": (W[None], X, G), "mismatch": (W, X.T, G), "G wrong": (W, X, G.T),
                    "ragged": ([[1.0], [1.0, 2.0]], X, G), "None": (None, X, G), "strings": (W.astype(str), X, G),
                    "read-only": (ro[:, :4].T.copy(), X, G), "nan": (W * np.nan, X, G)}.items():
        run(C, f"matmul_grads {k}", lambda: matmul_grads(*args), okm if k == "lists" else (lambda r: np.allclose(r[0], G @ np.asarray(args[1], float).T) if k in ("ints", "read-only") else False))
    for conv in ("xw", None, 3): run(C, f"convention {conv!r}", lambda: matmul_grads(W, X, G, conv), lambda r: False)
    loss = p.loss
    run(C, "MatmulLoss lists", lambda: MatmulLoss(loss, X.tolist())(W.tolist()), lambda r: np.isclose(r, p.f(W)))
    run(C, "MatmulLoss bool X", lambda: MatmulLoss(loss, X > 0), lambda r: False)
    run(C, "MatmulLoss str loss", lambda: MatmulLoss("sum", X), lambda r: False)
    run(C, "MatmulLoss wrong n", lambda: MatmulLoss(loss, X[:, :2]), lambda r: False)
    run(C, "MatmulLoss W wrong", lambda: p.f(W.T), lambda r: False)
    run(C, "MatmulLoss W None", lambda: p.f(None), lambda r: False)
    run(C, "MatmulLoss conv", lambda: MatmulLoss(loss, X, "XW"), lambda r: False)
    # 6 einsum
    C = "einsum_grad"
    B1, B2 = rng0().standard_normal((2, 3)), rng0().standard_normal((3, 4)); g = np.ones((2, 4))
    oke = lambda r: np.allclose(r, g @ B2.T)
    for k, call, ok in [
        ("g None", lambda: einsum_grad("ij,jk->ik", [B1, B2], None, 0), None),
        ("g list", lambda: einsum_grad("ij,jk->ik", [B1, B2], g.tolist(), 0), oke),
        ("g bool", lambda: einsum_grad("ij,jk->ik", [B1, B2], g > 0, 0), None),
        ("g nan", lambda: einsum_grad("ij,jk->ik", [B1, B2], g * np.nan, 0), None),
        ("g scalar", lambda: einsum_grad("ij,jk->ik", [B1, B2], 1.0, 0), None),
        ("op bool", lambda: einsum_grad("ij,jk->ik", [B1 > 0, B2], g, 0), None),
        ("op complex", lambda: einsum_grad("ij,jk->ik", [B1 + 0j, B2], g, 0), None),
        ("op str", lambda: einsum_grad("ij,jk->ik", [B1, "x"], g, 0), None),
        ("op lists", lambda: einsum_grad("ij,jk->ik", [B1.tolist(), B2.tolist()], g, 0), oke),
        ("op ints", lambda: einsum_grad("ij,jk->ik", [B1, B2.astype(int)], g, 0), lambda r: np.allclose(r, g @ B2.astype(int).T)),
        ("operands ndarray", lambda: einsum_grad("ij->i", B1, np.ones(2), 0), None),
        ("operands None", lambda: einsum_grad("ij->i", None, np.ones(2), 0), None),
        ("semicolon", lambda: einsum_grad("ij;jk->ik", [B1, B2], g, 0), None),
        ("double arrow", lambda: einsum_grad("ij,jk->ik->i", [B1, B2], g, 0), None),
        ("dash", lambda: einsum_grad("ij,jk-ik", [B1, B2], g, 0), None),
        ("comma in out", lambda: einsum_grad("ij,jk->i,k", [B1, B2], g, 0), None),
        ("digits", lambda: einsum_grad("i1,1k->ik", [B1, B2], g, 0), None),
        ("ellipsis", lambda: einsum_grad("...j,jk->...k", [B1, B2], g, 0), None),
        ("repeat", lambda: einsum_grad("ii,ik->k", [np.eye(3), B2], np.ones(4), 0), None),
        ("spec int", lambda: einsum_grad(3, [B1, B2], g, 0), None),
        ("wrt bool", lambda: einsum_grad("ij,jk->ik", [B1, B2], g, True), None),
        ("wrt -1", lambda: einsum_grad("ij,jk->ik", [B1, B2], g, -1), None),
        ("wrt str", lambda: einsum_grad("ij,jk->ik", [B1, B2], g, "0"), None),
        ("wrt 2", lambda: einsum_grad("ij,jk->ik", [B1, B2], g, 2), None),
        ("size mismatch", lambda: einsum_grad("ij,jk->ik", [B1, B1], g, 0), None),
        ("too few operands", lambda: einsum_grad("ij,jk->ik", [B1], g, 0), None),
        ("out not in operands", lambda: einsum_grad("ij,jk->iz", [B1, B2], g, 0), None),
        ("ij,i->i square", lambda: einsum_grad("ij,i->i", [np.eye(3) + 1, np.arange(3.0)], np.arange(3.0) + 1, 0), lambda r: np.allclose(r, np.outer((np.arange(3.0) + 1) * np.arange(3.0), np.ones(3)))),
        ("kj,ik implicit", lambda: einsum_grad("kj,ik", [np.ones((3, 2)), np.ones((4, 3))], np.ones((4, 2)), 0), lambda r: r.shape == (3, 2) and np.allclose(r, 4)),
    ]:
        run(C, k, call, ok or (lambda r: False))
    # 7 losses
    C = "losses"
    for v in (2.5, "3", None, np.nan, np.inf, 0, -1, True, [2]):
        run(C, f"make_loss H={v!r}", lambda: make_loss("sum", v, 3, rng0()), lambda r: False)
        run(C, f"make_loss n={v!r}", lambda: make_loss("squared_error", 3, v, rng0()), lambda r: False)
    run(C, "make_loss 3.0", lambda: make_loss("sum", 3.0, 2, rng0()), lambda r: r.shape == (3, 2))
    for nm in ("hinge", None, 3): run(C, f"name {nm!r}", lambda: make_loss(nm, 2, 2, rng0()), lambda r: False)
    for rr in (0, None, np.random.RandomState(0)): run(C, f"rng {rr!r}", lambda: make_loss("squared_error", 2, 2, rr), lambda r: False)
    run(C, "LOSSES class no rng", lambda: helpers.LOSSES["squared_error"](2, 2, None), lambda r: False)
    run(C, "conv bad", lambda: make_loss("sum", 2, 2, rng0(), "wx"), lambda r: False)
    L = make_loss("log_cosh", 2, 3, rng0()); D = rng0().standard_normal((2, 3))
    for k, DD in {"bool": D > 0, "complex": D + 0j, "wrong shape": D.T, "nan": D * np.nan, "None": None, "str": "D"}.items():
        run(C, f"value {k}", lambda: L.value(DD), lambda r: False)
        run(C, f"grad {k}", lambda: L.grad(DD), lambda r: False)
    run(C, "value list", lambda: L.value(D.tolist()), lambda r: np.isclose(r, L.value(D)))
    # 8 problem / check_derivation
    C = "Problem / check_derivation"
    for v in (None, np.nan, np.inf, "3", 0, -1, 2.5, True, [2]):
        run(C, f"H={v!r}", lambda: check_derivation(v, 2, 2), lambda r: False)
        run(C, f"n={v!r}", lambda: check_derivation(2, 2, v), lambda r: False)
    for s in (-1, 1.5, "a", None, np.nan, True, 2**70):
        run(C, f"seed={s!r}", lambda: check_derivation(2, 2, 2, seed=s), lambda r: bool(r) if s == 2**70 else False)
    run(C, "loss bad", lambda: check_derivation(2, 2, 2, loss="hinge"), lambda r: False)
    run(C, "convention bad", lambda: check_derivation(2, 2, 2, convention="XX"), lambda r: False)
    run(C, "Problem mismatched loss", lambda: Problem(W, X, make_loss("sum", 2, 2, rng0())), lambda r: False)
    run(C, "Problem str loss", lambda: Problem(W, X, "sum"), lambda r: False)
    run(C, "Problem lists", lambda: run_steps(Problem(W.tolist(), X.tolist(), p.loss)), lambda r: r.meaningful)
    run(C, "Problem broadcast W", lambda: run_steps(Problem(np.broadcast_to(W[:1], W.shape), X, p.loss)), lambda r: r.meaningful)
    run(C, "check_index_sum wrong shape", lambda: check_index_sum(p, (G @ X.T).T), lambda r: False)
    run(C, "check_matrix_form None-ish list", lambda: check_matrix_form(p, (G @ X.T).tolist()), lambda r: r.meaningful)
    run(C, "check_matrix_form nan", lambda: check_matrix_form(p, G @ X.T * np.nan), lambda r: False)
    run(C, "check_matrix_form bool", lambda: check_matrix_form(p, G @ X.T > 0), lambda r: False)
    run(C, "index_sum_loop mismatch", lambda: index_sum_loop(G, X.T), lambda r: False)
    run(C, "index_sum_loop 1-D", lambda: index_sum_loop(G[0], X), lambda r: False)
    run(C, "block_mask 1.5", lambda: block_mask(1.5, 2, 2), lambda r: False)
    # 9 directions
    C = "directions / rng / mode"
    for d in (2.5, "3", None, True, 0, -1, 10**10, np.int64(3)):
        run(C, f"directions={d!r}", lambda: gradcheck(sq, A, 2*A, mode="directional", rng=rng0(), directions=d), lambda r: r.meaningful)
    for rr in (None, 0, np.random.RandomState(0)): run(C, f"rng={rr!r}", lambda: gradcheck(sq, A, 2*A, mode="directional", rng=rr), lambda r: False)
    for m in ("sideways", None, 1): run(C, f"mode={m!r}", lambda: gradcheck(sq, A, 2*A, mode=m), lambda r: False)
    # 10 sizes
    C = "size caps"
    pb = Problem.make(300, 300, 300)
    for k, call in [("cd150", lambda: check_derivation(150, 150, 150)), ("cd400", lambda: check_derivation(400, 400, 400)),
                    ("cd 1x1000x1000", lambda: check_derivation(1, 1000, 1000)), ("numgrad 1e6", lambda: numerical_gradient(sq, np.zeros((1000, 1000)))),
                    ("gradcheck 1e6", lambda: gradcheck(sq, np.zeros((1000, 1000)), np.zeros((1000, 1000)))),
                    ("numjac 120^2", lambda: numerical_jacobian(lambda B: B, np.zeros((120, 120)))),
                    ("fast path 300^3", lambda: gradcheck(pb.f, pb.W, pb.G @ pb.X.T)),
                    ("Problem 300 sparsity", lambda: check_sparsity(pb)), ("Problem 300 chain", lambda: check_chain_rule(pb)),
                    ("Problem 300 matrix form", lambda: check_matrix_form(pb)), ("run_steps 300", lambda: run_steps(pb)),
                    ("index loop 200^3", lambda: index_sum_loop(np.zeros((200, 200)), np.zeros((200, 200)))),
                    ("make_loss 1e5^2", lambda: make_loss("squared_error", 10**5, 10**5, rng0())), ("Problem.make 1e5", lambda: Problem.make(10**5, 10**5, 1)),
                    ("einsum 4x1000^2", lambda: einsum_grad("ij,jk,kl,lm->im", [np.ones((1000, 1000))] * 4, np.ones((1000, 1000)), 0)),
                    ("slow f", lambda: numerical_gradient(lambda B: time.sleep(0.05) or 1.0, np.zeros((50, 50)))),
                    ("directions 1e9", lambda: gradcheck(sq, A, 2*A, mode="directional", rng=rng0(), directions=10**9))]:
        run(C, k, call, lambda r: False)
    run(C, "directional at 300^3 works", lambda: gradcheck(pb.f, pb.W, pb.G @ pb.X.T, mode="directional", rng=rng0()), lambda r: r.meaningful)
    # 11 vacuous
    C = "vacuous passes"
    run(C, "H=1 CE table", lambda: check_derivation(1, 3, 4, loss="softmax_cross_entropy"), lambda t: bool(t) and not t.meaningful and len(t.trivial) == 4)
    run(C, "H=1 CE XW", lambda: check_derivation(1, 3, 4, loss="softmax_cross_entropy", convention="XW"), lambda t: len(t.trivial) == 4)
    run(C, "constant f", lambda: gradcheck(lambda B: 3.0, A, 0*A), lambda r: r.trivial)
    run(C, "constant f dir", lambda: gradcheck(lambda B: 3.0, A, 0*A, mode="directional", rng=rng0()), lambda r: r.trivial)
    run(C, "stationary point", lambda: gradcheck(sq, 0*A, 0*A), lambda r: r.trivial)
    run(C, "constant f, nonzero answer", lambda: gradcheck(lambda B: 3.0, A, 1 + 0*A), lambda r: not r)
    run(C, "X = 0 local derivative", lambda: check_local_derivative(Problem(W, 0*X, p.loss)), lambda r: r.trivial)
    # 12 huge whole numbers and None (issue 18): a huge seed is valid, a huge size or step is refused, named
    C = "huge numbers / None"
    for s in (2**64, 10**30, 10**400, 1e30):
        run(C, f"seed={str(s)[:8]}", lambda: check_derivation(2, 2, 2, seed=s), lambda r: r.meaningful)
    for v in (2**64, 10**30, 10**400, 1e300):
        run(C, f"make_loss H={str(v)[:8]}", lambda: make_loss("sum", v, 1, rng0()), lambda r: False)
        run(C, f"Problem.make m={str(v)[:8]}", lambda: Problem.make(2, v, 2), lambda r: False)
        run(C, f"check_derivation n={str(v)[:8]}", lambda: check_derivation(2, 2, v), lambda r: False)
        run(C, f"block_mask H={str(v)[:8]}", lambda: block_mask(v, 2, 2), lambda r: False)
        run(C, f"h={str(v)[:8]}", lambda: gradcheck(sq, A, 2*A, h=v), lambda r: False)
        run(C, f"numerical_gradient h={str(v)[:8]}", lambda: numerical_gradient(sq, A, v), lambda r: False)
        run(C, f"atol={str(v)[:8]}", lambda: gradcheck(sq, A, 2*A, atol=v), lambda r: r.meaningful)  # capped
        run(C, f"atol={str(v)[:8]}, 2x wrong", lambda: gradcheck(sq, A, 4*A, atol=v), lambda r: r.status == "FAIL")
        run(C, f"directions={str(v)[:8]}",
            lambda: gradcheck(sq, A, 2*A, mode="directional", rng=rng0(), directions=v), lambda r: False)
    for step in (run_steps, check_chain_rule, check_sparsity, check_local_derivative, check_index_sum,
                 check_matrix_form, helpers.check_loss_gradient):
        run(C, f"{step.__name__}(None)", lambda: step(None), lambda r: False)
        run(C, f"{step.__name__}(a CheckTable)", lambda: step(helpers.CheckTable()), lambda r: False)
    assert np.array_equal(A, A_before)
    return counts, bad


def test_no_bad_input_gives_a_raw_traceback_a_wrong_result_or_a_hang():
    counts, bad = tally()
    assert sum(c["tried"] for c in counts.values()) > 300
    assert not bad, bad


if __name__ == "__main__":
    counts, bad = tally()
    total = collections.Counter()
    for cls, c in counts.items():
        total.update(c)
        print(f"{cls:28s} tried {c['tried']:3d}  clear error {c['error']:3d}  correct {c['correct']:3d}"
              f"  warned {c['warned']:2d}  raw {c['raw']}  wrong {c['WRONG']}  slow {c['slow']}")
    print(f"{'total':28s} tried {total['tried']:3d}  clear error {total['error']:3d}  correct {total['correct']:3d}"
          f"  warned {total['warned']:2d}  raw {total['raw']}  wrong {total['WRONG']}  slow {total['slow']}")
    print(*bad, sep="\n")
