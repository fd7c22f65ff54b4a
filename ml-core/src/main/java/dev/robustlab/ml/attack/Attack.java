package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/** An adversary: x ↦ x' ∈ B_ε(x) ∩ [0,1]^d that tries to make the classifier wrong on x'. */
public interface Attack {

    /** The attack's stable id, e.g. {@code pgd-20}. */
    String id();

    /**
     * Adversarial examples for a batch.
     *
     * @param model  the classifier under attack (left as it was found: parameters, their gradient flags and
     *               running statistics unchanged)
     * @param x      clean inputs {@code (B, ...)} FLOAT32 in [0,1]
     * @param labels true labels {@code (B)} INT64
     * @param random the stream random starts draw from
     * @return x' of the shape of {@code x}, in {@code x}'s manager, without gradient
     */
    NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random);

    /**
     * Adversarial examples for a batch, with per-example success: whether the classifier is wrong on x'. Attacks
     * that track their best point per example (restarts, APGD) return it here and in {@link #perturb}.
     *
     * @return x' as {@link #perturb} returns it, and per example whether argmax f(x') ≠ y
     */
    default AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        NDArray adversarial = perturb(model, x, labels, random);
        return new AttackResult(adversarial, Batches.misclassified(model, adversarial, labels));
    }
}
