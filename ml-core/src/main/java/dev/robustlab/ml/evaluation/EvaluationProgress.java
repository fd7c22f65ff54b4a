package dev.robustlab.ml.evaluation;

/** Told how an evaluation advances; an exception it throws stops the evaluation after the batch is saved. */
@FunctionalInterface
public interface EvaluationProgress {
    /** Tells nothing. */
    EvaluationProgress NONE = (done, total, robustAccuracy) -> { };

    /**
     * Called once before the first batch runs (with what a state file restored, possibly nothing) and after every
     * batch, once its result is in the state file.
     *
     * @param done           examples evaluated so far, restored ones included
     * @param total          examples in the range
     * @param robustAccuracy share of the examples done that are robust after every attack (0 when none is done)
     */
    void update(int done, int total, double robustAccuracy);
}
