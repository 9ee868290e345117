"""The notebooks' exercises: each one's solution, the inputs it is probed on (in the learner's argument order),
the known mistakes it can name (each with the notebook section that explains it) and its graded hints.

`s` is one probe's Sizes (s.H, s.m, s.n, s.h and fresh indices s.i < H, s.j < n, s.c < m), `rng` that probe's
own generator.  See helpers/exercises.py for what the checker does with them.
"""
import numpy as np

from .exercises import NOTEBOOKS, RENAMED, Mistake, rand, register

NOTEBOOKS.update({
    "01": "01-setup-and-shapes", "02": "02-chain-rule", "03": "03-which-terms-survive", "04": "04-local-derivative",
    "05": "05-index-form", "06": "06-matrix-form", "07": "07-other-convention", "08": "08-other-input",
    "09": "09-neuron", "10": "10-training", "11": "11-any-contraction", "12": "12-how-checks-work",
})
SIDE_BY_SIDE = ("07", "Three conventions side by side")
INDEX_TO_PRODUCT = ("06", "From an index sum to a product")
STEP3, STEP4 = ("08", "Step 3 — the local derivative"), ("08", "Step 4 — index form and matrix form")
RENAMED.update({"04-dD-dX": "08-dD-dX", "05-dX-loop": "08-dX-loop", "06-dX-matrix": "08-dX-matrix",
                "07-dX-xw": "08-dX-xw"})  # dL/dX moved to notebook 08


def _wx(s, rng):
    return rand(rng, s.H, s.m), rand(rng, s.m, s.n), rand(rng, s.H, s.n)  # W, X, G


def _sizes(s, rng):
    return dict(H=s.H, m=s.m, n=s.n)


# 01 ---------------------------------------------------------------------------------------------------------
def _entry_loop(W, X, i, j, w_index, x_index):
    return sum(W[w_index(i, k)] * X[x_index(k, j)] for k in range(W.shape[1]))


register(
    "01-entry", lambda W, X, i, j: _entry_loop(W, X, i, j, lambda i, k: (i, k), lambda k, j: (k, j)),
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), i=s.i, j=s.j),
    topic=("01", "The product $D = W X$"), forbid=("products",),
    forbid_reason="an explicit sum over k (a loop or sum(...)), without `@`",
    mistakes=[
        Mistake("wrong index of W", lambda W, X, i, j: _entry_loop(W, X, i, j, lambda i, k: (k, i),
                                                                   lambda k, j: (k, j)),
                "W is read with its two indices in the wrong places: which index of W picks the row of D, and"
                " which one is shared with X and summed?", ("01", "The product $D = W X$"),
                says=("W is read", "row of D")),
        Mistake("wrong index of X", lambda W, X, i, j: _entry_loop(W, X, i, j, lambda i, k: (i, k),
                                                                   lambda k, j: (j, k)),
                "X is read with its two indices in the wrong places: which index of X picks the column of D, and"
                " which one is shared with W and summed?", ("01", "The product $D = W X$"),
                says=("X is read", "column of D")),
    ],
    hints=["D[i, j] combines row i of W with column j of X: one product for each k, all added up.",
           "k runs over the m features (W.shape[1], which is X.shape[0]); each term multiplies the entry of W"
           " in row i with the entry of X in column j that share that k."])

register(
    "01-grad-shape", lambda H, m, n: (H, m), _sizes, topic=("01", "What we are after, and its shape"),
    mistakes=[
        Mistake("shape of D", lambda H, m, n: (H, n), "those are D's sizes. The gradient with respect to W has"
                " one entry for each weight", ("01", "What we are after, and its shape"), says=("D's sizes",)),
        Mistake("transposed", lambda H, m, n: (m, H), "rows and columns are swapped: which size counts the rows"
                " of W, which its columns?", ("01", "The data $X$ and the weights $W$"), says=("swapped",)),
        Mistake("shape of X", lambda H, m, n: (m, n), "those are X's sizes; the gradient asked for is with"
                " respect to W", ("01", "What we are after, and its shape"), says=("X's sizes",)),
    ],
    hints=["dL/dW has one entry for each weight W[d, c], arranged like W.",
           "What is the shape of W? It turns X (m, n) into D = W X of shape (H, n)."])


# 02 ---------------------------------------------------------------------------------------------------------
def _chain(s, rng):  # a random J, so that every wrong pairing of indices gives other numbers
    return dict(G=rand(rng, s.H, s.n), J=rand(rng, s.H, s.n, s.H, s.m), d=s.i, c=s.c)


def _pairs(G, J, d, c, pick):
    H, n = G.shape
    return sum(G[i, j] * J[pick(i, j, d, c)] for i in range(H) for j in range(n))


register(
    "02-chain-entry", lambda G, J, d, c: _pairs(G, J, d, c, lambda i, j, d, c: (i, j, d, c)), _chain,
    topic=("02", "Every path from $W_{dc}$ to $L$"), vary=(("i", "d"), ("c", "c")), forbid=("products",),
    forbid_reason="your own double loop over i and j (no einsum, `@` or np.dot)",
    mistakes=[
        Mistake("only i = d", lambda G, J, d, c: sum(G[d, j] * J[d, j, d, c] for j in range(G.shape[1])),
                "you dropped every term with i ≠ d. That is the next notebook's step, true only because of the"
                " product's structure; the chain rule itself sums over every i and j",
                ("02", "Every path from $W_{dc}$ to $L$"), says=("every term with i ≠ d",)),
        Mistake("indices paired wrongly", lambda G, J, d, c: _pairs(G, J, d, c, lambda i, j, d, c: (j, i, d, c)),
                "each G entry must multiply the J entry with the same (i, j), in the same order",
                ("02", "What the 4-D array looks like"), says=("same (i, j)",)),
        Mistake("d and c swapped", lambda G, J, d, c: _pairs(G, J, d, c, lambda i, j, d, c: (i, j, c, d)),
                "the last two indices of J are the weight's (row, column): d and c are in the other order",
                ("02", "What the 4-D array looks like"), says=("last two indices of J",)),
    ],
    hints=["W_dc reaches L through every entry D_ij, so the sum has one term for each pair (i, j).",
           "Each term is (how L moves with D_ij) times (how D_ij moves with W_dc): G[i, j] times the entry of J"
           " at (i, j, d, c). Loop over i in range(H) and j in range(n)."])

register(
    "02-count", lambda H, m, n: (H * m) * (H * n), _sizes, topic=("02", "Every path from $W_{dc}$ to $L$"),
    mistakes=[
        Mistake("weights only", lambda H, m, n: H * m, "that counts the weights; each weight's own sum has more"
                " than one product", ("02", "Every path from $W_{dc}$ to $L$"), says=("counts the weights",)),
        Mistake("one weight only", lambda H, m, n: H * n, "that is the number of products for one weight; the"
                " question asks for all weights together", ("02", "Every path from $W_{dc}$ to $L$"),
                says=("for one weight",)),
        Mistake("one row of D only", lambda H, m, n: H * m * n, "each weight's sum runs over every entry of D (all"
                " its rows and columns), not over one row of it", ("02", "Every path from $W_{dc}$ to $L$"),
                says=("not over one row",)),
    ],
    hints=["Count the products in one weight's sum first, then count the weights.",
           "One weight's sum has one product per entry of which array? And there is one such sum per entry of"
           " which array?"])


# 03 ---------------------------------------------------------------------------------------------------------
register(
    "03-fraction", lambda H, m, n: 1 / H, _sizes, topic=("03", "Row $i$ of $D$ only sees row $i$ of $W$"),
    mistakes=[
        Mistake("fraction of zeros", lambda H, m, n: (H - 1) / H, "that is the fraction of entries that are zero"
                " whatever X holds; the question asks for the others",
                ("03", "Row $i$ of $D$ only sees row $i$ of $W$"), says=("zero whatever X holds",)),
        Mistake("one block only", lambda H, m, n: 1 / H ** 2, "more than one block survives: count every pair of"
                " block indices for which the block is not zero", ("03", "Row $i$ of $D$ only sees row $i$ of $W$"),
                says=("more than one block",)),
    ],
    hints=["Picture dD/dW as an H x H grid of blocks, block (i, d) holding dD_ij/dW_dc for all j, c. Which blocks"
           " can be nonzero?",
           "Which blocks are zero whatever X holds (row i of D sees only row i of W)? In the others every entry is"
           " an entry of X, so nonzero when X has no zero entry. All blocks have the same size: count the ones that"
           " survive against all blocks."])


def _slice(X, H, i, j, fill):
    out = np.zeros((H, X.shape[0]))
    fill(out, X, i, j)
    return out


def _slice_solution(X, H, i, j):
    return _slice(X, H, i, j, lambda out, X, i, j: out.__setitem__(i, X[:, j]))


register(
    "03-slice", _slice_solution, lambda s, rng: dict(X=rand(rng, s.m, s.n), H=s.H, i=s.i, j=s.j),
    topic=("03", "Row $i$ of $D$ only sees row $i$ of $W$"), forbid=("numerical_jacobian",),
    forbid_reason="building it from X alone (without numerical_jacobian)",
    mistakes=[
        Mistake("every row filled", lambda X, H, i, j: np.tile(X[:, j], (H, 1)), "only one row of the slice is"
                " nonzero: D_ij contains no weight from another row of W",
                ("03", "Row $i$ of $D$ only sees row $i$ of $W$"), says=("only one row",)),
        Mistake("row of X", lambda X, H, i, j: _slice(X, H, i, j, lambda out, X, i, j: out.__setitem__(i, X[j, :])),
                "you took a row of X; sample j is a column of X", ("01", "The data $X$ and the weights $W$"),
                says=("row of X",)),
        Mistake("wrong row", lambda X, H, i, j: _slice(X, H, i, j, lambda out, X, i, j: out.__setitem__(j, X[:, j])),
                "your nonzero row is not the one D_ij needs: which row of W does D_ij contain?",
                ("03", "Row $i$ of $D$ only sees row $i$ of $W$"), says=("not the one D_ij needs",)),
    ],
    hints=["D_ij = sum_k W_ik X_kj contains only row i of W, so every other row of the (H, m) slice is zero.",
           "Entry (i, c) of the slice is how D_ij moves with W_ic: the factor that multiplies W_ic in the sum. It"
           " is an entry of X; collect it for every c."])


# 04 ---------------------------------------------------------------------------------------------------------
register(
    "04-local", lambda X, d, j, c: X[c, j], lambda s, rng: dict(X=rand(rng, s.m, s.n), d=s.i, j=s.j, c=s.c),
    topic=("04", "Differentiate term by term"), vary=(("i", "d"), "j", "c"),
    mistakes=[
        Mistake("indices swapped", lambda X, d, j, c: X[j, c], "X's two indices are in the other order: which of"
                " them counts features (rows), which samples (columns)?", ("01", "The data $X$ and the weights $W$"),
                says=("other order",)),
        Mistake("wrong index", lambda X, d, j, c: X[d, j], "d picks the row of W and of D; the entry of X that"
                " multiplies W_dc has another row index", ("04", "Differentiate term by term"),
                says=("another row index",)),
    ],
    hints=["Write D_dj = sum_k W_dk X_kj out. Only one of its terms contains W_dc: which k?",
           "That term is W_dc times one entry of X; its derivative with respect to W_dc is that entry."])

# 08: dL/dX for D = W X, step by step -----------------------------------------------------------------------
register(
    "08-dD-dX", lambda W, l: W.copy(), lambda s, rng: dict(W=rand(rng, s.H, s.m), l=s.j), topic=STEP3,
    mistakes=[
        Mistake("transposed", lambda W, l: W.T, "its rows must run over i (the outputs), its columns over c (the"
                " features)", STEP3, says=("rows must run over i",)),
    ],
    hints=["Write D_il = sum_k W_ik X_kl out: which term contains X_cl, and what multiplies it?",
           "That factor does not depend on the sample l. Collect it over all (i, c) into an (H, m) matrix."])


# 05 and 06: dL/dX for D = W X --------------------------------------------------------------------------------
def _dx_loop(W, G, w_entry):
    H, m = W.shape
    n = G.shape[1]
    dX = np.zeros((m, n))
    for k in range(m):
        for j in range(n):
            for i in range(H):
                dX[k, j] += G[i, j] * W[w_entry(i, k)]
    return dX


W_SWAPPED = Mistake("W indexed the wrong way", lambda W, X, G: _dx_loop(W, G, lambda i, k: (k, i)),
                    "W is read with its two indices in the wrong order: which index of W is the output i?", STEP3,
                    says=("which index of W is the output",))
register(
    "08-dX-loop", lambda W, X, G: _dx_loop(W, G, lambda i, k: (i, k)), lambda s, rng: dict(zip("WXG", _wx(s, rng))),
    topic=STEP4, forbid=("products",),
    forbid_reason="loops (the remaining sum written out, without `@`, np.dot or np.einsum)",
    mistakes=[W_SWAPPED],
    hints=["Three loops: one over the rows of dX, one over its columns, and one over the index that is still"
           " summed after step 2. Which index is that, and how far does it run?",
           "Start from an array of zeros shaped like X; inside the loops add one term of step 1's sum: an entry of G"
           " times the local derivative you found in step 3."])

register(
    "08-dX-matrix", lambda W, X, G: W.T @ G, lambda s, rng: dict(zip("WXG", _wx(s, rng))), topic=STEP4,
    mistakes=[
        Mistake("missing transpose", lambda W, X, G: W @ G, "the summed index i is the first (row) index of W, and"
                " a matrix product sums over its left factor's second index", INDEX_TO_PRODUCT,
                says=("first (row) index of W",)),
        Mistake("the other convention's formula", lambda W, X, G: G @ W.T, "that is dL/dX for D = X W (samples as"
                " rows); here samples are columns", SIDE_BY_SIDE, says=("samples as rows",)),
    ],
    hints=["Start from your index form of step 4 (exercise 08-dX-loop): a sum over one index. Where does the"
           " summed index sit in G, and where in W?",
           "A @ B sums over A's second index and B's first. Which factor must come first, and which must be"
           " transposed so that the summed index sits where the product sums?",
           "Check a candidate by its shapes before running it: the result has X's shape, so which factor brings"
           " its rows and which its columns, and does the summed size meet in the middle?"])


def _dw_loop(G, X, x_entry):
    H, n = G.shape
    m = X.shape[0]
    dW = np.zeros((H, m))
    for d in range(H):
        for c in range(m):
            for j in range(n):
                dW[d, c] += G[d, j] * X[x_entry(c, j)]
    return dW


def dL_dW_buggy(G, X):  # as handed out in notebook 05: called unchanged, it is "not attempted yet"
    """dL/dW_dc = sum_j G_dj X_cj for G (H, n), X (m, n)."""
    H, n = G.shape
    m = X.shape[0]
    dW = np.zeros((H, m))
    for d in range(H):
        for c in range(m):
            for j in range(n):
                dW[d, c] += G[d, j] * X[j, c]
    return dW


register(
    "05-find-bug", lambda G, X: G @ X.T, lambda s, rng: dict(G=rand(rng, s.H, s.n), X=rand(rng, s.m, s.n)),
    topic=("05", "Substitute the local derivative"), original=dL_dW_buggy,
    mistakes=[
        Mistake("bug still there", lambda G, X: _dw_loop(G, X, lambda c, j: (j, c)),
                "X is read with its two indices in the wrong order: which index of X counts the samples?",
                ("01", "The data $X$ and the weights $W$"), says=("which index of X counts the samples",)),
    ],
    hints=["The loops are right; one index expression is not. X has shape (m, n): which of d, c, j may index its"
           " rows?",
           "c counts features (0 to m-1) and j samples (0 to n-1); X stores features as rows, samples as columns.",
           "In the innermost line, which index sits in X's first place: a feature or a sample? Which should,"
           " for an array of shape (m, n)?"])


def _softmax_ce_grad(D, labels):
    P = np.exp(D - D.max(axis=0, keepdims=True))
    P /= P.sum(axis=0, keepdims=True)
    P[labels, np.arange(D.shape[1])] -= 1
    return P


def _onehot(D, labels):
    Y = np.zeros_like(D)
    Y[labels, np.arange(D.shape[1])] = 1
    return Y


def _softmax_rows(D):
    P = np.exp(D - D.max(axis=1, keepdims=True))
    return P / P.sum(axis=1, keepdims=True)


register(
    "05-softmax-ce", _softmax_ce_grad,
    lambda s, rng: dict(D=2 * rand(rng, s.H, s.n), labels=rng.integers(0, s.H, size=s.n)),
    topic=("05", "$f$ is arbitrary: every loss in the catalog"),
    see={"mean": ("05", "$f$ is arbitrary: every loss in the catalog")},
    mistakes=[
        Mistake("softmax over the wrong index", lambda D, labels: _softmax_rows(D) - _onehot(D, labels),
                "you normalized along a row (over samples); each sample's softmax runs over the H classes in its"
                " column", ("05", "$f$ is arbitrary: every loss in the catalog"), says=("along a row",)),
        Mistake("label term missing", lambda D, labels: _softmax_ce_grad(D, labels) + _onehot(D, labels),
                "your answer lacks the derivative of the loss's second term, the one with the label",
                ("05", "$f$ is arbitrary: every loss in the catalog"), says=("second term",)),
    ],
    hints=["Each sample j (a column of D) has its own term in L, so work one column at a time. Differentiate the"
           " log-sum-exp part and the label part separately.",
           "For the log-sum-exp part, differentiate log Σ_k exp(D_kj) with respect to one D_ij: what does the"
           " chain rule give for the log, and for the exponential inside? The label part is linear in D: which"
           " entries does it contain?"])


# 06: dL/dW for D = X W (samples as rows): X (n, m), G (n, H) ----------------------------------------------------
register(
    "06-xw", lambda X, G: X.T @ G, lambda s, rng: dict(X=rand(rng, s.n, s.m), G=rand(rng, s.n, s.H)),
    topic=INDEX_TO_PRODUCT,
    mistakes=[
        Mistake("the D = W X formula", lambda X, G: G @ X.T, "that has the form of the D = W X result; with samples"
                " as rows the summed sample index is the first index of both X and G", INDEX_TO_PRODUCT,
                says=("form of the D = W X result",)),
        Mistake("missing transpose", lambda X, G: X @ G, "the summed index is X's first (row) index, and a matrix"
                " product sums over its left factor's second index", INDEX_TO_PRODUCT,
                says=("X's first (row) index",)),
    ],
    hints=["Start from D_ij = sum_k X_ik W_kj and follow the four steps: which entries of D contain W_cd (c a"
           " feature, d an output), and what multiplies W_cd there?",
           "Collect those terms: one index stays summed. Where does it sit in X, and where in G? Which factor must"
           " be transposed so that it sits where a product sums?"])


# 08: dL/dX for D = X W --------------------------------------------------------------------------------------
register(
    "08-dX-xw", lambda X, W, G: G @ W.T,
    lambda s, rng: dict(X=rand(rng, s.n, s.m), W=rand(rng, s.m, s.H), G=rand(rng, s.n, s.H)),
    topic=STEP4,
    mistakes=[
        Mistake("the D = W X formula", lambda X, W, G: W.T @ G, "that has the form of dL/dX for D = W X (samples"
                " as columns)", SIDE_BY_SIDE, says=("samples as columns",)),
        Mistake("missing transpose", lambda X, W, G: G @ W, "the summed output index is the second index of both G"
                " and W", INDEX_TO_PRODUCT, says=("second index of both G and W",)),
    ],
    hints=["Start from D_ij = sum_k X_ik W_kj (notebook 07's convention) and take the four steps of notebook 08:"
           " which entries of D contain X_ac, and what multiplies it there?",
           "Collect those terms: one index stays summed. Where does it sit in G, and where in W? A product sums"
           " over its left factor's second index and its right factor's first."])


# 08: find the bug in dL/dX ----------------------------------------------------------------------------------
def dL_dX_buggy(W, G):  # as handed out in notebook 08
    """dL/dX for D = W X; W (H, m), G (H, n) -> (m, n)."""
    H, m = W.shape
    n = G.shape[1]
    dX = np.zeros((m, n))
    for c in range(m):
        for l in range(n):  # noqa: E741 - the notebook's sample index
            for i in range(H):
                dX[c, l] += G[i, l] * W[c, i]
    return dX


register(
    "08-find-bug", lambda W, G: W.T @ G, lambda s, rng: dict(W=rand(rng, s.H, s.m), G=rand(rng, s.H, s.n)),
    topic=STEP3, original=dL_dX_buggy,
    mistakes=[
        Mistake("bug still there", lambda W, G: _dx_loop(W, G, lambda i, k: (k, i)), "W is read with its two"
                " indices in the wrong order: which index of W counts the outputs?", STEP3,
                says=("which index of W counts the outputs",)),
    ],
    hints=["The loops are right; one index expression is not. W has shape (H, m): which of c, l, i may index its"
           " rows?",
           "i counts outputs (0 to H-1) and c features (0 to m-1); W stores outputs as rows, features as columns.",
           "In the innermost line, which index sits in W's first place: an output or a feature? Which should,"
           " for an array of shape (H, m)?"])


# 09: the neuron ReLU(W X + b) ------------------------------------------------------------------------------
def _neuron(s, rng):
    return dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), b=rand(rng, s.H, 1), G=rand(rng, s.H, s.n))


def _mask(W, X, b):
    return (W @ X + b > 0).astype(float)


MASK = ("09", "Forward, with each local gradient next to it")
BIAS = ("09", "The bias: a sum, not a mean")
register(
    "09-sample-bias", lambda W, X, c, G: (G * _mask(W, X, c)).sum(axis=0, keepdims=True),
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), c=rand(rng, 1, s.n), G=rand(rng, s.H, s.n)),
    topic=BIAS, see={"mean": BIAS, "shape": BIAS},
    mistakes=[
        Mistake("ReLU mask missing", lambda W, X, c, G: G.sum(axis=0, keepdims=True), "the ReLU passes the gradient"
                " only where its input is positive", MASK,
                says=("only where its input is positive",)),
        Mistake("the (H, 1) bias's sum", lambda W, X, c, G: (G * _mask(W, X, c)).sum(axis=1, keepdims=True),
                "that is what the section's b needs: b has one entry per output. c has one entry per sample:"
                " which entries of Z does one c_j reach?", BIAS, says=("one entry per output. c has",)),
        Mistake("not summed", lambda W, X, c, G: G * _mask(W, X, c), "that is dL/dZ, one entry per output and"
                " sample; c has one entry per sample, shared by all outputs", BIAS, says=("that is dL/dZ",)),
        Mistake("offset missing in the mask", lambda W, X, c, G: (G * (W @ X > 0)).sum(axis=0, keepdims=True),
                "the ReLU's input Z includes the offset c", MASK, says=("includes the offset c",)),
    ],
    hints=["The same two steps as for b: first pass G back through the ReLU (dL/dZ is G where Z = W X + c > 0, and 0"
           " elsewhere), then collect what reaches each c_j.",
           "c_j is added to Z_ij for every output i (broadcast down column j), so dL/dc_j collects one term per"
           " output. Keep c's shape (1, n)."])

def dL_dW_buggy_09(W, X, b, G):  # as handed out in notebook 09
    """dL/dW for A = ReLU(W X + b), G = dL/dA."""
    return G @ X.T


register(
    "09-find-bug", lambda W, X, b, G: (G * _mask(W, X, b)) @ X.T, _neuron, topic=MASK, original=dL_dW_buggy_09,
    mistakes=[
        Mistake("ReLU mask missing", lambda W, X, b, G: G @ X.T, "the gradient must pass through the ReLU first:"
                " G is dL/dA, and the weights act on Z = W X + b", MASK, says=("through the ReLU first",)),
        Mistake("bias missing in the mask", lambda W, X, b, G: (G * (W @ X > 0)) @ X.T, "the ReLU's input Z"
                " includes b", MASK, says=("includes b",)),
    ],
    hints=["The layer is two steps: Z = W X + b, then A = ReLU(Z). G is dL/dA, not dL/dZ.",
           "Turn G into dL/dZ first (the ReLU's local gradient is 1 where Z > 0, else 0), then apply the rule for"
           " the weights of a matrix product."])


# 10: the two-layer network: W1 (h, m), b1 (h, 1), W2 (H, h), X (m, n), G (H, n) --------------------------------
def _two_layer(s, rng):
    return dict(W1=rand(rng, s.h, s.m), b1=rand(rng, s.h, 1), W2=rand(rng, s.H, s.h), X=rand(rng, s.m, s.n),
                G=rand(rng, s.H, s.n))


def _dX(W1, b1, W2, X, G):
    return W1.T @ ((W2.T @ G) * (W1 @ X + b1 > 0))


register(
    "10-dX", _dX, _two_layer, topic=("10", "The model and its gradients"),
    mistakes=[
        Mistake("ReLU mask missing", lambda W1, b1, W2, X, G: W1.T @ (W2.T @ G), "between the layers the gradient"
                " passes through the ReLU: mask it", MASK, says=("between the layers",)),
        Mistake("bias missing in the mask", lambda W1, b1, W2, X, G: W1.T @ ((W2.T @ G) * (W1 @ X > 0)),
                "the ReLU's input includes b1", MASK, says=("includes b1",)),
        Mistake("missing transpose on W2", lambda W1, b1, W2, X, G: W1.T @ ((W2 @ G) * (W1 @ X + b1 > 0)),
                "going back through D = W2 A1, the gradient with respect to A1 needs W2 transposed", STEP4,
                says=("needs W2 transposed",)),
        Mistake("missing transpose on W1", lambda W1, b1, W2, X, G: W1 @ ((W2.T @ G) * (W1 @ X + b1 > 0)),
                "going back through Z1 = W1 X + b1, the gradient with respect to X needs W1 transposed", STEP4,
                says=("needs W1 transposed",)),
        Mistake("stopped at the hidden layer", lambda W1, b1, W2, X, G: (W2.T @ G) * (W1 @ X + b1 > 0),
                "that is dL/dZ1, the gradient at the hidden layer's input (h, n); one step is left: back through"
                " Z1 = W1 X + b1 to X", ("10", "The model and its gradients"), says=("one step is left",)),
        Mistake("that is dL/dW1", lambda W1, b1, W2, X, G: ((W2.T @ G) * (W1 @ X + b1 > 0)) @ X.T,
                "yours is the gradient for the first layer's weights W1, the one the training code uses; the exercise"
                " asks for the input X", ("10", "The model and its gradients"), says=("first layer's weights",)),
    ],
    hints=["Go back one layer at a time, as the training code does on its way to W1, but follow X instead of W1 at the"
           " last step: X enters Z1 = W1 X + b1 the way X enters notebook 08's D = W X.",
           "Three steps: from G back through D = W2 A1 + b2 to A1 (notebook 08's rule, W2 in the role of W), through"
           " the ReLU (zero where Z1 <= 0), then through Z1 = W1 X + b1 to X (notebook 08's rule again, W1 in the role"
           " of W). The result has X's shape (m, n)."])


# 11: attention scores S = Q K^T: Q (q, d) = (H, m), K (k, d) = (n, m), G (q, k) = (H, n) ------------------------
register(
    "11-attention-dK", lambda Q, K, G: G.T @ Q,
    lambda s, rng: dict(Q=rand(rng, s.H, s.m), K=rand(rng, s.n, s.m), G=rand(rng, s.H, s.n)),
    topic=("11", "The rule"),
    words={"H": "q (the number of queries)", "n": "k (the number of keys)", "m": "d (the width of a query or key)"},
    mistakes=[
        Mistake("missing transpose", lambda Q, K, G: G @ Q, "the summed query index is the first index of both G"
                " and Q", ("11", "The rule"), says=("summed query index",)),
        Mistake("that is dL/dQ", lambda Q, K, G: G @ K, "yours is the gradient for the other operand, Q",
                ("11", "The rule"), says=("other operand",)),
    ],
    hints=["Write S_qk = sum_d Q_qd K_kd. G enters with S's indices (q, k), K's indices (k, d) leave: which index"
           " is summed?",
           "Write the index form for one entry of dL/dK from the rule, then ask where the summed index sits in G"
           " and in Q. A product sums over its left factor's second index: which factor must be transposed?"])


# 12: sizing the Jacobian of the other input ------------------------------------------------------------------
JACOBIAN = ("12", "Why nobody builds the 4-D Jacobian")
register(
    "12-jacobian-dX-bytes", lambda H, m, n: 8 * H * n * m * n, _sizes, topic=JACOBIAN,
    mistakes=[
        Mistake("the Jacobian for W", lambda H, m, n: 8 * H * n * H * m, "that is the size the section works out,"
                " for W; the one asked for pairs every entry of D with every entry of X", JACOBIAN,
                says=("the section works out",)),
        Mistake("numbers, not bytes", lambda H, m, n: H * n * m * n, "that counts the numbers in the Jacobian; the"
                " question asks for bytes, and each float64 number takes 8", JACOBIAN, says=("asks for bytes",)),
        Mistake("the gradient's size", lambda H, m, n: 8 * m * n, "that is the size of dL/dX (X's own shape), the"
                " array backpropagation computes instead; the Jacobian has one entry per pair (entry of D, entry of"
                " X)", JACOBIAN, says=("size of dL/dX",)),
    ],
    hints=["A Jacobian has one entry for each pair (an entry of the output, an entry of the input): its shape is the"
           " output's shape followed by the input's. Which arrays are the output and the input here?",
           "Here the output is D and the input is X: write the Jacobian's 4-D shape from their shapes, then count"
           " the bytes of a float64 array of that shape."])
