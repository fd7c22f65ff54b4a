package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;

/**
 * Squeeze Training's divergences between the softmax outputs of two logit sets {@code (B, K)}, per example: each
 * result has shape {@code (B)}. With p = softmax(a), q = softmax(b):
 * <pre>
 *   symmetric KL   = ½ [KL(sg(q)‖p) + KL(sg(p)‖q)]          sg = stop-gradient (the target of each KL detached)
 *   JS(p, q)       = ½ KL(p‖m) + ½ KL(q‖m),   m = ½ (p + q)
 *   squared l2     = Σ_k (p_k − q_k)²
 * </pre>
 * KL is {@link KlDivergence}. The symmetric KL is Squeeze Training's regulariser as the authors' code computes it:
 * its gradient is not the derivative of its value, but that of the value with each target frozen. JS and squared
 * l2 are differentiated through both sides.
 */
public final class SoftmaxDivergences {
    private static final int[] CLASSES = {1};

    private SoftmaxDivergences() {
    }

    /** ½ [KL(sg(softmax(b)) ‖ softmax(a)) + KL(sg(softmax(a)) ‖ softmax(b))] per example, in a's manager. */
    public static NDArray symmetricKl(NDArray a, NDArray b) {
        NDArray frozenA = a.stopGradient();
        NDArray frozenB = b.stopGradient();
        return KlDivergence.perExample(frozenB, a).add(KlDivergence.perExample(frozenA, b)).mul(0.5);
    }

    /** The Jensen-Shannon divergence of softmax(a) and softmax(b) per example, in a's manager. */
    public static NDArray jensenShannon(NDArray a, NDArray b) {
        NDArray logP = a.logSoftmax(1);
        NDArray logQ = b.logSoftmax(1);
        NDArray p = logP.exp();
        NDArray q = logQ.exp();
        NDArray logM = p.add(q).mul(0.5).log();
        NDArray toP = p.mul(logP.sub(logM)).sum(CLASSES);
        NDArray toQ = q.mul(logQ.sub(logM)).sum(CLASSES);
        return toP.add(toQ).mul(0.5);
    }

    /** ‖softmax(a) − softmax(b)‖₂² per example, in a's manager. */
    public static NDArray squaredL2(NDArray a, NDArray b) {
        return a.softmax(1).sub(b.softmax(1)).square().sum(CLASSES);
    }
}
