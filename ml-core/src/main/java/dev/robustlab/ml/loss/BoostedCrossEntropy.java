package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * MART's boosted cross-entropy (Wang et al., "Improving Adversarial Robustness Requires Revisiting Misclassified
 * Examples", ICLR 2020), per example,
 * <pre>
 *   BCE(p, y) = −log p_y − log(1 − max_{k≠y} p_k),   p = softmax(z),
 * </pre>
 * cross-entropy plus a margin term that pushes down the most likely wrong class. The second logarithm is taken as
 * log Σ_{j≠k*} p_j with k* = argmax_{k≠y} p_k, a log-sum-exp of log-softmaxes: exact where 1 − p_{k*} would round
 * to zero. (The MART code writes log(1.0001 − p_{k*} + 1e-12), which differs from the formula by up to 1e-4.)
 * Gradients flow through the selected k* as through a max. Usable as a {@link LogitLoss}:
 * {@code BoostedCrossEntropy::perExample}.
 */
public final class BoostedCrossEntropy {
    private BoostedCrossEntropy() {
    }

    /**
     * BCE(softmax(z_i), y_i) for every example i.
     *
     * @param logits z {@code (B, K)}, K ≥ 2
     * @param labels y {@code (B)} INT64
     * @return shape {@code (B)}, in the logits' manager
     */
    public static NDArray perExample(NDArray logits, NDArray labels) {
        NDArray logP = logits.logSoftmax(1);
        NDArray isTrue = OneHot.of(logits, labels);
        NDArray crossEntropy = logP.mul(isTrue).sum(new int[] {1}).neg();
        NDArray excluded = logits.getManager().full(logits.getShape(), Float.NEGATIVE_INFINITY,
                logits.getDataType());
        NDArray runnerUp = NDArrays.where(isTrue.gt(0.5f), excluded, logP).argMax(1);
        NDArray isRunnerUp = OneHot.of(logits, runnerUp);
        // log(1 − p_{k*}) = log Σ_{j≠k*} exp(log p_j), shifted by its largest term (a constant: no gradient)
        NDArray rest = NDArrays.where(isRunnerUp.gt(0.5f), excluded, logP);
        NDArray shift = rest.max(new int[] {1}, true).stopGradient();
        NDArray logRest = rest.sub(shift).exp().sum(new int[] {1}).log().add(shift.squeeze(1));
        return crossEntropy.sub(logRest);
    }
}
