package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * One attack run's result on a batch, the state restarts compare: per example the point, whether it fools the model
 * and the loss it reached there (APGD: the highest loss along the run).
 *
 * @param adversarial x' {@code (B, ...)}
 * @param success     per example, whether the model is wrong on x'
 * @param loss        per example, the loss reached
 */
record Outcome(NDArray adversarial, boolean[] success, float[] loss) {

    /**
     * Per example the worse for the model of the two: a success is kept, otherwise {@code other}'s point is taken
     * when it succeeds or reaches a higher loss. Closes both points.
     */
    Outcome orWorse(Outcome other) {
        boolean[] take = new boolean[success.length];
        boolean[] mergedSuccess = success.clone();
        float[] mergedLoss = loss.clone();
        for (int i = 0; i < take.length; i++) {
            take[i] = !success[i] && (other.success[i] || other.loss[i] > loss[i]);
            if (take[i]) {
                mergedSuccess[i] = other.success[i];
                mergedLoss[i] = other.loss[i];
            }
        }
        NDArray merged = Batches.select(take, other.adversarial, adversarial);
        other.adversarial.close();
        adversarial.close();
        return new Outcome(merged, mergedSuccess, mergedLoss);
    }
}
