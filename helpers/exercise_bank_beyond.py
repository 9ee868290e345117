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
                "that is the transpose, as some books print it; in this collection a gradient has"
                " the shape of its variable", ("13", "Numerator versus denominator layout"),
                says=("as some books print it",)),
        Mistake("inner derivative missing", lambda W, X, T: W @ X - T,
                "that is the gradient with respect to D; the differential dD = dW X still has to be substituted",
                ("13", "The differential of D = W X"), says=("gradient with respect to D",)),
        Mistake("residual sign", lambda W, X, T: (T - W @ X) @ X.T,
                "the residual points the other way: L grows as W X moves away from T",
                ("13", "The differential of L"), says=("points the other way",)),
    ],
    hints=["Write E = W X - T. Then L = ½ tr(EᵀE) and dL = tr(Eᵀ dE), the ½ cancelling the 2.",
           "dE = dW X. Substitute, move X to the front of the trace, and read the gradient off dL = tr(Mᵀ dW)."])


register(
    "13-trace-product", lambda A, B: A.T @ B.T,
    lambda s, rng: dict(A=rand(rng, s.h, s.H), B=rand(rng, s.m, s.h)),
    topic=("13", "Substitute, then cycle the trace"), notebook=NB13, words={"h": "p (the number of rows of A)"},
    mistakes=[
        Mistake("not transposed", lambda A, B: B @ A,
                "you found the matrix M in dL = tr(M dW); the gradient is the matrix whose transpose stands there",
                ("13", "Read off the gradient"), says=("whose transpose stands there",)),
        Mistake("cycled the wrong way", lambda A, B: A @ B,
                "only cyclic moves keep a trace: bring B round to the front, in front of A",
                ("13", "Substitute, then cycle the trace"), says=("only cyclic moves",)),
    ],
    hints=["dL = tr(A dW B). Move the last factor to the front: the trace does not change.",
           "Now dL = tr(M dW) for some product M. The section “Read off the gradient” writes dL as tr(Nᵀ dW)"
           " and calls N the gradient: how is N related to M?"])


register(
    "13-numerator-layout-xw", lambda X, G: G.T @ X,
    lambda s, rng: dict(X=rand(rng, s.n, s.m), G=0.5 * rand(rng, s.n, s.H)),
    topic=("13", "Numerator versus denominator layout"), notebook=NB13,
    mistakes=[
        Mistake("this collection's layout", lambda X, G: X.T @ G,
                "that is the gradient laid out like W, as this collection prints it; a numerator-layout book"
                " exchanges its rows and columns", ("13", "Numerator versus denominator layout"),
                says=("laid out like W",)),
        Mistake("the gradient with respect to X", lambda X, G: G,
                "that is the gradient that arrives at D; the question asks for the derivative with respect to W",
                ("13", "And for D = X W"), says=("arrives at D",)),
    ],
    hints=["Start from this collection's dL/dW for D = X W (section “And for D = X W”). Which shape does a"
           " numerator-layout table give a scalar's derivative by an m × H matrix?",
           "The numbers are the same; only rows and columns are exchanged. Transpose a product: reverse the order"
           " and transpose each factor."])


# 14: the structure of dD/dW --------------------------------------------------------------------------------
register(
    "14-kron-dx", lambda W, n: np.kron(W, np.eye(n)),
    lambda s, rng: dict(W=rand(rng, s.H, s.m), n=s.n),
    topic=("14", "dD/dW as one matrix"), notebook=NB14, vary=("n",),
    mistakes=[
        Mistake("factors swapped", lambda W, n: np.kron(np.eye(n), W),
                "the Kronecker factors are in the other order: row (i, j) is output row i first, then sample j,"
                " so which factor picks the block?", ("14", "dD/dW as one matrix"), says=("Kronecker factors",)),
        Mistake("W transposed", lambda W, n: np.kron(W.T, np.eye(n)),
                "rows and columns are exchanged: the rows belong to the H n entries of D, the columns to the"
                " m n entries of X", ("14", "dD/dW as one matrix"), says=("rows and columns are exchanged",)),
    ],
    hints=["Write the entry for row (i, j), column (c, k): D_ij = Σ_l W_il X_lj, so what is ∂D_ij/∂X_ck?",
           "It is a product of an entry of W and an entry of an identity matrix. In np.kron(A, B) the outer"
           " (block) index comes from A, the inner one from B."])


register(
    "14-forward-count-dx", lambda H, m, n: m * n,
    lambda s, rng: dict(H=s.H, m=s.m, n=s.n),
    topic=("14", "Why training runs in reverse"), notebook=NB14,
    mistakes=[
        Mistake("reverse mode's count", lambda H, m, n: 1,
                "one product is what reverse mode needs (a VJP); a JVP gives one directional derivative at a time",
                ("14", "Why training runs in reverse"), says=("reverse mode needs",)),
        Mistake("the count for W", lambda H, m, n: H * m,
                "that counts the directions in the space of W; this question moves X",
                ("14", "Forward mode: the Jacobian–vector product"), says=("space of W",)),
        Mistake("outputs, not inputs", lambda H, m, n: H * n,
                "that counts the entries of D; a JVP follows one direction in the space of the input you move",
                ("14", "Forward mode: the Jacobian–vector product"), says=("entries of D",)),
        Mistake("multiply-adds", lambda H, m, n: H * m * n,
                "that counts the work inside one JVP, not the number of JVPs",
                ("14", "The bill at a real layer's size"), says=("work inside one JVP",)),
    ],
    hints=["One JVP with direction dX gives ⟨G, W dX⟩: the derivative of L along dX, one number.",
           "To fill in every entry of dL/dX you need one direction per entry (a basis of X's space)."])


# 15: gradients add -----------------------------------------------------------------------------------------
register(
    "15-both-sides", lambda W, X, Z, G, F: G @ X.T + Z.T @ F,
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), Z=rand(rng, s.h, s.H),
                        G=0.5 * rand(rng, s.H, s.n), F=0.5 * rand(rng, s.h, s.m)),
    topic=("15", "One matrix, two uses"), notebook=NB15, words={"h": "p (the number of rows of Z)"},
    mistakes=[
        Mistake("D's use only", lambda W, X, Z, G, F: G @ X.T,
                "W is used twice, and each use contributes a term: the use in E = Z W is missing",
                ("15", "Why the terms add"), says=("use in E = Z W is missing",)),
        Mistake("E's use only", lambda W, X, Z, G, F: Z.T @ F,
                "the term of D = W X is gone: was it overwritten by the one of E = Z W?",
                ("15", "The classic bug: overwrite instead of accumulate"), says=("overwritten",)),
        Mistake("uses subtracted", lambda W, X, Z, G, F: G @ X.T - Z.T @ F,
                "the two uses' terms add, both with a plus sign", ("15", "Why the terms add"),
                says=("plus sign",)),
        Mistake("mean of the uses", lambda W, X, Z, G, F: (G @ X.T + Z.T @ F) / 2,
                "the uses' terms add; nothing is averaged", ("15", "Why the terms add"), says=("averaged",)),
    ],
    hints=["Each use is a matrix product of its own: in D = W X, W stands on the left; in E = Z W, on the right."
           " Give each use its own name and differentiate it with its own arriving gradient.",
           "For E = Z W, W plays the part that W plays in the D = X W convention of notebook 13 (section “And for"
           " D = X W”). Add the two terms."])


register(
    "15-tied-weights", lambda W, X, G: (W @ X) @ G.T + W @ G @ X.T,
    lambda s, rng: dict(W=0.5 * rand(rng, s.H, s.m), X=0.5 * rand(rng, s.m, s.n), G=0.5 * rand(rng, s.m, s.n)),
    topic=("15", "Used twice in a row"), notebook=NB15,
    mistakes=[
        Mistake("outer use only", lambda W, X, G: (W @ X) @ G.T,
                "the inner W, in A = W X, is a use too", ("15", "Used twice in a row"), says=("inner W",)),
        Mistake("inner use only", lambda W, X, G: W @ G @ X.T,
                "the outer use, through Wᵀ, is a use of W too", ("15", "Used twice in a row"),
                says=("outer use, through Wᵀ",)),
        Mistake("outer term with the wrong sign", lambda W, X, G: W @ G @ X.T - (W @ X) @ G.T,
                "the two uses' terms add, both with a plus sign", ("15", "Why the terms add"), says=("plus sign",)),
    ],
    hints=["Name A = W X (H × n), so D = Wᵀ A. The gradient for the matrix Wᵀ in that product is the usual one,"
           " and the gradient for W is its transpose.",
           "The gradient that reaches A is the one notebook 08 derived for the input of a product (with Wᵀ as the"
           " weights); the inner use turns it into a term for W. Add the two terms."])


register(
    "15-l1-penalty", lambda W, X, G, lam: G @ X.T + lam * np.sign(W),
    lambda s, rng: dict(W=rand(rng, s.H, s.m), X=rand(rng, s.m, s.n), G=rand(rng, s.H, s.n),
                        lam=float(rng.uniform(0.1, 0.9))),
    topic=("15", "When L uses W directly too"), notebook=NB15,
    mistakes=[
        Mistake("direct term missing", lambda W, X, G, lam: G @ X.T,
                "L also depends on W directly, through the penalty", ("15", "When L uses W directly too"),
                says=("directly, through the penalty",)),
        Mistake("penalty only", lambda W, X, G, lam: lam * np.sign(W),
                "W reaches L through D = W X too", ("15", "When L uses W directly too"), says=("through D = W X too",)),
        Mistake("the squared penalty's term", lambda W, X, G, lam: G @ X.T + lam * W,
                "that is what the page's penalty on W² gives; this one uses |W_dc|. When one entry"
                " moves by a small step, how much does its absolute value move?", ("15", "When L uses W directly too"),
                says=("penalty on W²",)),
        Mistake("the penalty's value", lambda W, X, G, lam: G @ X.T + lam * np.abs(W),
                "your penalty term is the penalty's own size, entry by entry; the gradient needs its rate of change."
                " Does your term change sign when an entry of W is negative?", ("15", "When L uses W directly too"),
                says=("penalty's own size",)),
    ],
    hints=["W reaches L along two paths: through D = W X, and straight into the penalty. Their terms add.",
           "The penalty is lam Σ |W_dc|: away from zero, differentiate |w| for one entry, separately for w > 0 and"
           " w < 0, then add the term of D = W X."])


# 16: build an autograd -------------------------------------------------------------------------------------
# The learner writes Tensor methods; notebook 16's gradient_at_A(op) turns a method into the function the
# checker calls: (A, G) -> the gradient reaching A in op(A) + A, and (A, B, C, G) -> the gradient reaching A
# in op(A, B) + op(C, A).  A is used twice in each graph, so a rule that assigns (=) instead of adding (+=)
# loses a contribution.  The wrong answers below are what such wrong methods return, in-place additions
# (and their errors) included.
NB16_ENTRYWISE = ("16", "Step 3 — ReLU, sum and cross-entropy")
NB16_RULE = ("16", "Step 1 — A tensor that remembers how it was made")
NB15_OVERWRITE = ("15", "The classic bug: overwrite instead of accumulate")


def _tanh_in_graph(A, G):
    return G * (1 - np.tanh(A) ** 2) + G


def _tanh_as_product(A, G):
    grad = G.copy()  # the use "+ A" has sent its G
    grad += G @ (1 - np.tanh(A) ** 2).T  # in place, as the engine adds: raises unless the shapes fit
    return grad


register(
    "16-tanh-method", _tanh_in_graph,
    lambda s, rng: dict(A=rand(rng, s.H, s.n), G=rand(rng, s.H, s.n)),
    topic=NB16_ENTRYWISE, notebook=NB16,
    mistakes=[
        Mistake("incoming gradient dropped", lambda A, G: 1 - np.tanh(A) ** 2 + G,
                "a backward rule is a vector–Jacobian product: it starts from the gradient that has arrived at"
                " the output, out.grad", NB16_RULE, says=("starts from the gradient that has arrived",)),
        Mistake("derivative of the input", lambda A, G: G * (1 - A ** 2) + G,
                "your rule evaluates the slope from the input A itself. Take one large entry of A: is the slope"
                " of tanh there near the one your rule gives? Compare your rule with central differences",
                NB16_ENTRYWISE, says=("slope from the input A itself",)),
        Mistake("overwrites instead of adding", lambda A, G: G * (1 - np.tanh(A) ** 2),
                "your rule replaces self.grad instead of adding to it: in A.tanh() + A the other use of A had"
                " already sent its gradient, and it was lost", NB15_OVERWRITE, says=("replaces self.grad",)),
        Mistake("a matrix product", _tanh_as_product,
                "tanh acts entry by entry, so its Jacobian is diagonal: no sum over an index, no matrix product",
                NB16_ENTRYWISE, says=("Jacobian is diagonal",)),
    ],
    hints=["tanh acts on each entry alone: output entry (i, j) depends only on input entry (i, j). Follow"
           " relu's pattern in Step 3: a new Tensor, a rule that adds to self.grad, out.backward_rule = rule.",
           "The rule adds the arriving gradient out.grad times the slope of tanh at each entry, entry by entry;"
           " that slope can be written with the output's value alone."])


def _mul_as_matmul(A, B, C, G):
    grad = np.zeros_like(A)
    grad += C.T @ G  # C * A: A is `other`, given the matrix product's rule (in place, as the engine adds)
    grad += G @ B.T  # A * B: A is `self`
    return grad


register(
    "16-mul-method", lambda A, B, C, G: G * B + G * C,
    lambda s, rng: dict(A=rand(rng, s.H, s.n), B=rand(rng, s.H, s.n), C=rand(rng, s.H, s.n),
                        G=rand(rng, s.H, s.n)),
    topic=NB16_ENTRYWISE, notebook=NB16,
    mistakes=[
        Mistake("each factor's own value", lambda A, B, C, G: 2 * G * A,
                "you multiplied by the tensor's own value. When A_ij moves by a small step and B_ij stays put,"
                " by how much does the product A_ij B_ij move?", NB16_ENTRYWISE, says=("tensor's own value",)),
        Mistake("incoming gradient dropped", lambda A, B, C, G: B + C,
                "multiply by the gradient that has arrived at the output, out.grad", NB16_RULE,
                says=("multiply by the gradient that has arrived",)),
        Mistake("only the left use", lambda A, B, C, G: G * B,
                "A * B sent its gradient to A, but C * A, where A is the right factor (other), did not: does your"
                " rule add to other.grad too, and does it add (+=) rather than assign?",
                NB15_OVERWRITE, says=("where A is the right factor (other), did not",)),
        Mistake("only the right use", lambda A, B, C, G: G * C,
                "C * A sent its gradient to A, but A * B, where A is the left factor (self), did not: does your"
                " rule add to self.grad too?", NB16_RULE, says=("where A is the left factor (self), did not",)),
        Mistake("the matrix product's rule", _mul_as_matmul,
                "an entrywise product is not a matrix product: output entry (i, j) depends on A_ij and B_ij"
                " alone, so no index is summed", NB16_ENTRYWISE, says=("no index is summed",)),
    ],
    hints=["Output entry (i, j) is A_ij B_ij: which output entries depend on A_ij, and which on B_ij?",
           "One line per parent, as for the matrix product in Step 1, but entry by entry: each parent's grad"
           " gets the arriving gradient times the derivative of the product by that parent's entry."])
