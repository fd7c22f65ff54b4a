package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What a training step minimises on a batch. Split in two because only one gradient collector may be open: an
 * attack that crafts training inputs runs in {@link #prepare} (it opens its own collectors), the loss in
 * {@link #loss} runs inside the training step's collector.
 */
public interface TrainingObjective {

    /** The method's stable id, e.g. {@code pgd-at}. */
    String id();

    /**
     * Inputs the loss needs beyond the clean batch, e.g. adversarial examples; called outside any gradient
     * collector. Results belong to {@code x}'s manager.
     *
     * @param model  the model being trained
     * @param x      clean inputs {@code (B, ...)}
     * @param labels labels {@code (B)} INT64
     * @param random the stream attacks draw their random starts from
     */
    NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random);

    /**
     * The loss to minimise, a batch mean, computed with the model in training mode inside the step's collector.
     * Weight perturbation (AWP, RWP) also calls it, before the step and at perturbed weights: it must keep no
     * per-batch state.
     *
     * @param model    the model being trained
     * @param prepared what {@link #prepare} returned
     * @param labels   labels {@code (B)} INT64
     */
    Value loss(Classifier model, NDList prepared, NDArray labels);

    /**
     * The loss restricted to the selected examples, as RWP ascends it: (1/B)·Σ_{i selected} ℓ_i, the batch mean
     * with the other examples' terms set to zero. Every array of {@code prepared} must be per example on axis 0.
     * The default evaluates {@link #loss} on the selected rows alone and scales it by (selected count)/B: exact
     * for models without BatchNorm; with BatchNorm the batch statistics then come from the selected rows only,
     * so objectives that can should override it with a full-batch masked mean.
     *
     * @param selected one flag per example; at least one must be set
     */
    default Value maskedLoss(Classifier model, NDList prepared, NDArray labels, boolean[] selected) {
        return ObjectiveRows.maskedBySubset(this, model, prepared, labels, selected);
    }

    /**
     * Called by the run once per epoch, after the epoch's last optimizer step (and after PIAT's interpolation):
     * for objectives with state across epochs (CFA's class-wise calibration and weight average). Default: nothing.
     */
    default void epochEnded(EpochContext context) {
    }

    /**
     * Runs {@code write} while the model holds the weights a checkpoint of this objective carries, and returns its
     * result; the model holds its trained weights again afterwards. Default: the trained weights themselves (CFA
     * swaps in its fairness-aware weight average).
     */
    default <T> T withCheckpointWeights(Classifier model, Supplier<T> write) {
        return write.get();
    }

    /**
     * A step's loss and the logits whose accuracy the epoch summary reports.
     *
     * @param loss   scalar, batch mean
     * @param logits {@code (B, classes)} on the examples the objective trained on
     */
    record Value(NDArray loss, NDArray logits) {
    }
}
