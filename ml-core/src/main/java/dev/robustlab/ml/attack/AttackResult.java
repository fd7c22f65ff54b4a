package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * What an attack produced for a batch.
 *
 * @param adversarial x' {@code (B, ...)} in B_ε(x) ∩ [0,1]^d, in the clean inputs' manager, without gradient
 * @param success     per example, whether the classifier's arg-max on x' differs from the label
 */
public record AttackResult(NDArray adversarial, boolean[] success) {

    /** Examples the attack broke. */
    public int successes() {
        int count = 0;
        for (boolean broken : success) {
            count += broken ? 1 : 0;
        }
        return count;
    }
}
