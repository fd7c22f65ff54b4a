package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import dev.robustlab.ml.loss.LogitLoss;

/** Softmax quantities the objectives weight their terms with. */
final class Softmax {
    private static final LogitLoss CROSS_ENTROPY = LogitLoss.crossEntropy();

    private Softmax() {
    }

    /** p_{y_i} = softmax(z_i)_{y_i} = exp(−CE(z_i, y_i)) per example, shape {@code (B)}, with z's graph. */
    static NDArray trueClass(NDArray logits, NDArray labels) {
        return CROSS_ENTROPY.perExample(logits, labels).neg().exp();
    }
}
