package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

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

    /** One-hot labels {@code (B, K)} FLOAT32, created in the logits' manager. */
    private static NDArray oneHot(NDArray logits, NDArray labels) {
        if (labels.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("labels must be INT64, got " + labels.getDataType());
        }
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray oneHot = labels.oneHot(classes, DataType.FLOAT32);
        oneHot.attach(logits.getManager());
        return oneHot;
    }
}
