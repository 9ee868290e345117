"""The exercises of notebooks 13-16: each one's solution, its inputs (drawn per probe by the checker), the
known mistakes it names with the section that explains them, and graded hints.

Inputs are scaled so that every expected entry stays below 12 in size: the leak test of tests/test_exercises.py
treats an integer above 11 in a message as a possibly leaked value, and these messages name notebooks 13-16.

Importing this module registers the exercises; helpers/__init__.py imports it next to exercise_bank."""
import numpy as np

from .exercises import Mistake, rand, register

NB13, NB14, NB15, NB16 = ("13-differentials-and-trace", "14-jacobian-structure-and-vjp", "15-gradients-add",
                          "16-build-an-autograd")


# 13: differentials and the trace -------------------------------------------------------------------------
def _squared_error(W, X, T):
    return (W @ X - T) @ X.T


register(
    "13-squared-error", _squared_error,
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=0.3 * rand(rng, s.m, s.n), T=rand(rng, s.H, s.n)),
    topic=("13", "Read off the gradient"), notebook=NB13,
    mistakes=[
        Mistake("numerator layout", lambda W, X, T: _squared_error(W, X, T).T,
                "that is the transpose, as a numerator-layout book prints it; in this collection a gradient has"
                " the shape of its variable", ("13", "Numerator versus denominator layout")),
        Mistake("inner derivative missing", lambda W, X, T: W @ X - T,
                "that is the gradient with respect to D; the differential dD = dW X still has to be substituted",
                ("13", "The differential of D = W X")),
        Mistake("residual sign", lambda W, X, T: (T - W @ X) @ X.T,
                "the sign of the residual is flipped: L grows as W X moves away from T",
                ("13", "The differential of L")),
    ],
    hints=["Write E = W X - T. Then L = ½ tr(EᵀE) and dL = tr(Eᵀ dE), the ½ cancelling the 2.",
           "dE = dW X. Substitute, move X to the front of the trace, and read the gradient off dL = tr(Mᵀ dW)."])


register(
    "13-trace-product", lambda A, B: A.T @ B.T,
    lambda s, rng: dict(A=rand(rng, s.h, s.H), B=rand(rng, s.m, s.h)),
    topic=("13", "Substitute, then cycle the trace"), notebook=NB13,
    mistakes=[
        Mistake("not transposed", lambda A, B: B @ A,
                "you found the matrix M in dL = tr(M dW); the gradient is the matrix whose transpose stands there",
                ("13", "Read off the gradient")),
        Mistake("cycled the wrong way", lambda A, B: A @ B,
                "only cyclic moves keep a trace: bring B round to the front, in front of A",
                ("13", "Substitute, then cycle the trace")),
    ],
    hints=["dL = tr(A dW B). Move the last factor to the front: the trace does not change.",
           "Now dL = tr(M dW) for some product M. The section “Read off the gradient” writes dL as tr(Nᵀ dW)"
           " and calls N the gradient: how is N related to M?"])


register(
    "13-numerator-layout", lambda X, G: X @ G.T,
    lambda s, rng: dict(X=rand(rng, s.m, s.n), G=0.5 * rand(rng, s.H, s.n)),
    topic=("13", "Numerator versus denominator layout"), notebook=NB13,
    mistakes=[
        Mistake("this collection's layout", lambda X, G: G @ X.T,
                "that is the gradient laid out like W; numerator layout lays the derivative of a scalar by a matrix"
                " out with rows and columns exchanged", ("13", "Numerator versus denominator layout")),
        Mistake("X and G swapped", lambda X, G: G.T @ X,
                "the rows of the answer belong to the columns of W, that is to the rows of X",
                ("13", "Numerator versus denominator layout")),
    ],
    hints=["Start from this collection's dL/dW. Which shape does a numerator-layout table give a scalar's"
           " derivative by an H × m matrix?",
           "The numbers are the same; only rows and columns are exchanged. Transpose a product: reverse the order"
           " and transpose each factor."])


# 14: the structure of dD/dW --------------------------------------------------------------------------------
register(
    "14-kron-xw", lambda X, H: np.kron(X, np.eye(H)),
    lambda s, rng: dict(X=rand(rng, s.n, s.m), H=s.H),
    topic=("14", "The same for D = X W"), notebook=NB14, vary=("H",),
    mistakes=[
        Mistake("factors swapped", lambda X, H: np.kron(np.eye(H), X),
                "the Kronecker factors are in the other order: row (i, j) is sample i first, then output j, so"
                " which factor picks the block?", ("14", "The same for D = X W")),
        Mistake("the D = W X form", lambda X, H: np.kron(np.eye(H), X.T),
                "that is the Jacobian of the other convention, D = W X", ("14", "dD/dW as one matrix")),
        Mistake("X transposed", lambda X, H: np.kron(X.T, np.eye(H)),
                "the rows belong to the n H entries of D = X W, and the entry of X is read as X[i, c]",
                ("14", "The same for D = X W")),
    ],
    hints=["Write the entry for row (i, j), column (c, d): D_ij = Σ_k X_ik W_kj, so what is ∂D_ij/∂W_cd?",
           "It is a product of an entry of X and an entry of an identity matrix. In np.kron(A, B) the outer"
           " (block) index comes from A, the inner one from B."])


register(
    "14-forward-count", lambda H, m, n: H * m,
    lambda s, rng: dict(H=s.H, m=s.m, n=s.n),
    topic=("14", "Why training runs in reverse"), notebook=NB14,
    mistakes=[
        Mistake("reverse mode's count", lambda H, m, n: 1,
                "one product is what reverse mode needs (a VJP); a JVP gives one directional derivative at a time",
                ("14", "Why training runs in reverse")),
        Mistake("outputs, not inputs", lambda H, m, n: H * n,
                "that counts the entries of D; a JVP follows one direction in the space of W",
                ("14", "Forward mode: the Jacobian–vector product")),
        Mistake("multiply-adds", lambda H, m, n: H * m * n,
                "that counts the multiply-adds of one JVP, not the number of JVPs",
                ("14", "The bill at a real layer's size")),
    ],
    hints=["One JVP with direction dW gives ⟨G, dW X⟩: the derivative of L along dW, one number.",
           "To fill in every entry of dL/dW you need one direction per entry (a basis of W's space)."])


# 15: gradients add -----------------------------------------------------------------------------------------
register(
    "15-two-uses", lambda W, X, Y, G: G @ X.T + G @ Y.T,
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), Y=rand(rng, s.m, s.n),
                        G=0.5 * rand(rng, s.H, s.n)),
    topic=("15", "One matrix, two uses"), notebook=NB15,
    mistakes=[
        Mistake("overwrite instead of accumulate", lambda W, X, Y, G: G @ Y.T,
                "only the last use of W is left: the first use's term was overwritten",
                ("15", "The classic bug: overwrite instead of accumulate")),
        Mistake("first use only", lambda W, X, Y, G: G @ X.T,
                "W is used twice, and each use contributes a term", ("15", "Why the terms add")),
        Mistake("mean of the uses", lambda W, X, Y, G: (G @ X.T + G @ Y.T) / 2,
                "the uses' terms add; nothing is averaged", ("15", "Why the terms add")),
    ],
    hints=["Each product W X and W Y is a D = W X of its own, with the same G arriving.",
           "Give the two uses their own names, differentiate each, then add."])


register(
    "15-tied-weights", lambda W, X, G: (W @ X) @ G.T + W @ G @ X.T,
    lambda s, rng: dict(W=0.5 * rand(rng, s.H, s.m), X=0.5 * rand(rng, s.m, s.n), G=0.5 * rand(rng, s.m, s.n)),
    topic=("15", "Used twice in a row"), notebook=NB15,
    mistakes=[
        Mistake("outer use only", lambda W, X, G: (W @ X) @ G.T,
                "the inner W, in A = W X, is a use too", ("15", "Used twice in a row")),
        Mistake("inner use only", lambda W, X, G: W @ G @ X.T,
                "the outer use, through Wᵀ, is a use of W too", ("15", "Used twice in a row")),
        Mistake("outer term with the wrong sign", lambda W, X, G: W @ G @ X.T - (W @ X) @ G.T,
                "the two uses' terms add, both with a plus sign", ("15", "Why the terms add")),
    ],
    hints=["Name A = W X (H × n), so D = Wᵀ A. The gradient for the matrix Wᵀ in that product is the usual one,"
           " and the gradient for W is its transpose.",
           "The gradient that reaches A is the one notebook 08 derived for the input of a product (with Wᵀ as the"
           " weights); the inner use turns it into a term for W. Add the two terms."])


register(
    "15-weight-decay", lambda W, X, G, lam: G @ X.T + lam * W,
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), G=rand(rng, s.H, s.n),
                        lam=float(rng.uniform(0.1, 0.9))),
    topic=("15", "When L uses W directly too"), notebook=NB15,
    mistakes=[
        Mistake("direct term missing", lambda W, X, G, lam: G @ X.T,
                "L also depends on W directly, through the penalty", ("15", "When L uses W directly too")),
        Mistake("penalty only", lambda W, X, G, lam: lam * W,
                "W reaches L through D = W X too", ("15", "When L uses W directly too")),
        Mistake("half the penalty", lambda W, X, G, lam: G @ X.T + lam * W / 2,
                "the penalty's term is too small by a factor 2: the derivative of w² is 2w, and the ½ cancels it",
                ("15", "When L uses W directly too")),
        Mistake("twice the penalty", lambda W, X, G, lam: G @ X.T + 2 * lam * W,
                "the penalty's term is too large by a factor 2: the ½ in front cancels the 2 of the square",
                ("15", "When L uses W directly too")),
    ],
    hints=["W reaches L along two paths: through D = W X, and straight into the penalty.",
           "The penalty is (lam / 2) Σ W_dc²: differentiate it entry by entry, then add the two terms."])


# 16: build an autograd -------------------------------------------------------------------------------------
register(
    "16-tanh-backward", lambda A, G: G * (1 - np.tanh(A) ** 2),
    lambda s, rng: dict(A=rand(rng, s.H, s.n), G=rand(rng, s.H, s.n)),
    topic=("16", "Every rule against central differences"), notebook=NB16,
    mistakes=[
        Mistake("incoming gradient dropped", lambda A, G: 1 - np.tanh(A) ** 2,
                "a backward rule is a vector–Jacobian product: it starts from the gradient arriving at the output",
                ("16", "The engine, in full")),
        Mistake("derivative of the input", lambda A, G: G * (1 - A ** 2),
                "the derivative of tanh is 1 − t² with t the output tanh(A), not the input A",
                ("16", "Every rule against central differences")),
        Mistake("a matrix product", lambda A, G: G @ (1 - np.tanh(A) ** 2).T,
                "tanh acts entry by entry, so its Jacobian is diagonal: no sum over an index, no matrix product",
                ("16", "Every rule against central differences")),
    ],
    hints=["tanh acts on each entry alone: output entry (i, j) depends only on input entry (i, j).",
           "The rule is the arriving gradient times the derivative of tanh at each entry, entry by entry."])


register(
    "16-mul-backward", lambda A, B, G: G * B,
    lambda s, rng: dict(A=rand(rng, s.H, s.n), B=rand(rng, s.H, s.n), G=rand(rng, s.H, s.n)),
    topic=("16", "Every rule against central differences"), notebook=NB16,
    mistakes=[
        Mistake("the other factor", lambda A, B, G: G * A,
                "the derivative of A_ij B_ij with respect to A_ij is the other factor's entry",
                ("16", "Every rule against central differences")),
        Mistake("incoming gradient dropped", lambda A, B, G: B,
                "multiply by the gradient arriving at the output", ("16", "The engine, in full")),
        Mistake("a matrix product", lambda A, B, G: G @ B.T,
                "an entrywise product has a diagonal Jacobian: no sum over an index, no matrix product",
                ("16", "Every rule against central differences")),
    ],
    hints=["Output entry (i, j) is A_ij B_ij: which output entries depend on A_ij?",
           "Its derivative with respect to A_ij, times the gradient arriving at output entry (i, j)."])
