package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

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
     *
     * @param model    the model being trained
     * @param prepared what {@link #prepare} returned
     * @param labels   labels {@code (B)} INT64
     */
    Value loss(Classifier model, NDList prepared, NDArray labels);

    /**
     * A step's loss and the logits whose accuracy the epoch summary reports.
     *
     * @param loss   scalar, batch mean
     * @param logits {@code (B, classes)} on the examples the objective trained on
     */
    record Value(NDArray loss, NDArray logits) {
    }
}
