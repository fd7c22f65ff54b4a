package dev.robustlab.ml.training;

import dev.robustlab.ml.model.Classifier;

import java.util.Arrays;

/**
 * What a run tells its objective when an epoch ends ({@link TrainingObjective#epochEnded}).
 *
 * @param epoch           the epoch that ended, 1-based (epoch index t = epoch − 1)
 * @param model           the model after the epoch (after PIAT's interpolation when PIAT is on)
 * @param correctByClass  per class k, the examples of class k whose {@link TrainingObjective.Value#logits} (the
 *                        examples the objective trained on: adversarial ones for adversarial objectives) were
 *                        classified correctly during the epoch, each counted at its own step
 * @param examplesByClass per class k, the training examples of class k seen during the epoch
 */
public record EpochContext(int epoch, Classifier model, long[] correctByClass, long[] examplesByClass) {

    /** Copies the counts; both arrays have one entry per class. */
    public EpochContext {
        if (correctByClass.length != examplesByClass.length) {
            throw new IllegalArgumentException("correctByClass has " + correctByClass.length
                    + " classes, examplesByClass " + examplesByClass.length);
        }
        correctByClass = correctByClass.clone();
        examplesByClass = examplesByClass.clone();
    }

    /** Number of classes. */
    public int classes() {
        return correctByClass.length;
    }

    /**
     * Class k's training accuracy over the epoch, correct_k / examples_k, or NaN for a class without examples
     * this epoch.
     */
    public double accuracy(int k) {
        return examplesByClass[k] == 0 ? Double.NaN : (double) correctByClass[k] / examplesByClass[k];
    }

    @Override
    public long[] correctByClass() {
        return correctByClass.clone();
    }

    @Override
    public long[] examplesByClass() {
        return examplesByClass.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EpochContext that && epoch == that.epoch && model == that.model
                && Arrays.equals(correctByClass, that.correctByClass)
                && Arrays.equals(examplesByClass, that.examplesByClass);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * epoch + Arrays.hashCode(correctByClass)) + Arrays.hashCode(examplesByClass);
    }

    @Override
    public String toString() {
        return "EpochContext[epoch=" + epoch + ", correctByClass=" + Arrays.toString(correctByClass)
                + ", examplesByClass=" + Arrays.toString(examplesByClass) + "]";
    }
}
