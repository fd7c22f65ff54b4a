package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The Kullback–Leibler divergence between the softmax outputs of two sets of logits, per example,
 * <pre>
 *   KL(p ‖ q) = Σ_k p_k (log p_k − log q_k),   p = softmax(a),  q = softmax(b),
 * </pre>
 * computed from log-softmaxes, so that a probability rounded to zero never meets a logarithm. It is PyTorch's
 * {@code F.kl_div(F.log_softmax(b, 1), F.softmax(a, 1), reduction='none').sum(1)}; the batch mean of it is
 * {@code reduction='batchmean'}. TRADES, MART and MAIL regularise with it (a the clean logits, b the adversarial
 * ones), and so do CFA and Squeeze Training's symmetric KL ({@link SoftmaxDivergences}); TRADES's and CFA's
 * training attack maximises it over b's input ({@link #from}).
 */
public final class KlDivergence {
    private KlDivergence() {
    }

    /**
     * KL(softmax(a_i) ‖ softmax(b_i)) for every example i, shape {@code (B)}, in b's manager. Gradients flow into
     * both a and b: detach the one that is a fixed target.
     *
     * @param a logits of the reference distribution p {@code (B, K)}
     * @param b logits of the approximating distribution q {@code (B, K)}
     */
    public static NDArray perExample(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape()) || a.getShape().dimension() != 2) {
            throw new IllegalArgumentException("logits must both be (B, K), got " + a.getShape() + " and "
                    + b.getShape());
        }
        NDManager home = b.getManager();
        NDArray logP = a.logSoftmax(1);
        logP.attach(home);
        NDArray p = logP.exp();
        return divergence(logP, p, b);
    }

    /** The batch mean of {@link #perExample}, a scalar: PyTorch's {@code reduction='batchmean'}. */
    public static NDArray batchMean(NDArray a, NDArray b) {
        return perExample(a, b).mean();
    }

    /**
     * The loss ℓ(z, y) = KL(softmax(target_i) ‖ softmax(z_i)) per example, for an attack that pushes the logits
     * away from a fixed distribution; the labels are not used. softmax(target) is computed once here, without
     * gradient, in target's manager, which the caller keeps open while the loss is in use; each call's arrays live
     * in the logits' manager.
     *
     * @param target logits of the reference distribution {@code (B, K)}
     */
    public static LogitLoss from(NDArray target) {
        NDArray logP = target.stopGradient().logSoftmax(1);
        NDArray p = logP.exp();
        return (logits, labels) -> {
            if (!logits.getShape().equals(p.getShape())) {
                throw new IllegalArgumentException("logits must have the target's shape " + p.getShape()
                        + ", got " + logits.getShape());
            }
            return divergence(logP, p, logits);
        };
    }

    /** Σ_k p_k (log p_k − log softmax(b)_k), operands ordered so that every result lands in b's manager. */
    private static NDArray divergence(NDArray logP, NDArray p, NDArray b) {
        return b.logSoftmax(1).neg().add(logP).mul(p).sum(new int[] {1});
    }
}
