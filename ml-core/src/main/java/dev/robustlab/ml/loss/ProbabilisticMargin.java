package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * MAIL's probabilistic margin (Wang et al., "Probabilistic Margins for Instance Reweighting in Adversarial
 * Training", NeurIPS 2021), per example,
 * <pre>
 *   PM(z, y) = max_{k≠y} p_k − p_y,   p = softmax(z),
 * </pre>
 * in [−1, 1]: negative while the example is classified correctly, the closer to 1 the more confidently wrong.
 */
public final class ProbabilisticMargin {
    private ProbabilisticMargin() {
    }

    /**
     * PM(z_i, y_i) for every example i, with the graph of z (detach it for a weight).
     *
     * @param logits z {@code (B, K)}, K ≥ 2
     * @param labels y {@code (B)} INT64
     * @return shape {@code (B)}, in the logits' manager
     */
    public static NDArray of(NDArray logits, NDArray labels) {
        NDArray p = logits.softmax(1);
        NDArray isTrue = OneHot.of(logits, labels);
        NDArray trueProbability = p.mul(isTrue).sum(new int[] {1});
        NDArray excluded = logits.getManager().full(logits.getShape(), Float.NEGATIVE_INFINITY,
                logits.getDataType());
        NDArray bestOther = NDArrays.where(isTrue.gt(0.5f), excluded, p).max(new int[] {1});
        return bestOther.sub(trueProbability);
    }
}
