package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * A loss ℓ(z, y) of logits z {@code (B, K)} and labels y {@code (B)} (INT64), per example: the result has shape
 * {@code (B)} and lives in the logits' manager.
 */
@FunctionalInterface
public interface LogitLoss {

    /** ℓ(z_i, y_i) for every example i, shape {@code (B)}. */
    NDArray perExample(NDArray logits, NDArray labels);

    /** The batch mean of {@link #perExample}, a scalar: its scale does not depend on the batch size. */
    default NDArray mean(NDArray logits, NDArray labels) {
        return perExample(logits, labels).mean();
    }

    /** Cross-entropy: ℓ(z, y) = −log softmax(z)_y = −z_y + log Σ_k exp z_k. */
    static LogitLoss crossEntropy() {
        return (logits, labels) -> {
            NDArray oneHot = oneHot(logits, labels);
            return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        };
    }

    /**
     * The Carlini–Wagner margin as evaluated with PGD (CW∞): ℓ(z, y) = max_{k≠y} z_k − z_y. Positive exactly when
     * the example is misclassified.
     */
    static LogitLoss cwMargin() {
        return (logits, labels) -> {
            NDArray oneHot = oneHot(logits, labels);
            NDArray trueLogit = logits.mul(oneHot).sum(new int[] {1});
            NDArray isTrue = oneHot.gt(0.5f);
            NDArray excluded = logits.getManager().full(logits.getShape(), Float.NEGATIVE_INFINITY);
            NDArray bestOther = NDArrays.where(isTrue, excluded, logits).max(new int[] {1});
            return bestOther.sub(trueLogit);
        };
    }

    /**
     * The logit difference towards a class: ℓ(z, y) = z_t − z_y with t = {@code towards} {@code (B)} INT64, the
     * function whose zero set is the decision boundary between y and t (FAB linearises it). Non-negative exactly
     * when t scores at least as high as y. The caller keeps {@code towards} open while the loss is in use.
     */
    static LogitLoss logitDifference(NDArray towards) {
        return (logits, labels) -> logits.mul(oneHot(logits, towards).sub(oneHot(logits, labels))).sum(new int[] {1});
    }

    /** The difference of logits ratio, {@link DlrLoss#untargeted}: the loss of APGD-DLR (K ≥ 3 classes). */
    static LogitLoss dlr() {
        return DlrLoss::untargeted;
    }

    /**
     * The targeted difference of logits ratio, {@link DlrLoss#targeted}, towards {@code targets} {@code (B)} INT64
     * (K ≥ 4 classes): the loss of APGD-T. The caller keeps {@code targets} open while the loss is in use.
     */
    static LogitLoss targetedDlr(NDArray targets) {
        return (logits, labels) -> DlrLoss.targeted(logits, labels, targets);
    }

    /** One-hot labels {@code (B, K)} FLOAT32, created in the logits' manager. */
    private static NDArray oneHot(NDArray logits, NDArray labels) {
        return OneHot.of(logits, labels);
    }
}
