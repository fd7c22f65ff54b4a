package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code alp}, adversarial logit pairing (Kannan et al., "Adversarial Logit Pairing", 2018):
 * <pre>
 *   L = 1/(2B) Σ_i [CE(f(x_i), y_i) + CE(f(x'_i), y_i)] + λ · 1/B Σ_i ‖f(x_i) − f(x'_i)‖₂²
 * </pre>
 * cross-entropy on the clean ∪ adversarial batch plus λ times the batch mean of the squared l2 distance between
 * the clean and the adversarial logits, gradients through both logit sets. x' is the training attack's (CE-PGD of
 * the threat model, crafted in inference mode). The loss runs the 2B examples through the model in one training
 * forward, the mixed minibatch of the paper (BatchNorm normalises them together). λ = 0.5 by default
 * (METHODS.md marks it unverified). The epoch summary's accuracy is on x'.
 */
public final class AlpObjective implements TrainingObjective {
    private final Attack attack;
    private final double lambda;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    private AlpObjective(Builder builder) {
        this.attack = builder.attack;
        this.lambda = builder.lambda;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return TrainingMethods.ALP;
    }

    /** λ. */
    public double lambda() {
        return lambda;
    }

    /** @return {@code (x, x')} */
    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return AdversarialPair.of(x, attack.perturb(model, x, labels, random));
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        NDArray clean = AdversarialPair.clean(prepared);
        NDArray adversarial = AdversarialPair.adversarial(prepared);
        long batch = clean.getShape().get(0);
        NDArray logits = model.logits(NDArrays.concat(new NDList(clean, adversarial)), true);
        NDArray cleanLogits = logits.get("0:{}", batch);
        NDArray adversarialLogits = logits.get("{}:", batch);
        NDArray bothLabels = NDArrays.concat(new NDList(labels, labels));
        NDArray crossEntropyMean = crossEntropy.mean(logits, bothLabels);
        NDArray pairing = cleanLogits.sub(adversarialLogits).square().sum(new int[] {1}).mean();
        return new Value(crossEntropyMean.add(Scalars.times(pairing, lambda)), adversarialLogits);
    }

    /** Builds an {@link AlpObjective}. */
    public static final class Builder {
        private Attack attack;
        private double lambda = TrainingMethods.defaults(TrainingMethods.ALP).get("lambda");

        private Builder() {
        }

        /** The training attack that crafts x' (the papers': CE-PGD). */
        public Builder setAttack(Attack attack) {
            this.attack = Objects.requireNonNull(attack, "attack");
            return this;
        }

        /** λ ≥ 0, the weight of the logit pairing (default 0.5). */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /** @throws IllegalArgumentException without an attack or with a negative or non-finite λ */
        public AlpObjective build() {
            if (attack == null) {
                throw new IllegalArgumentException("alp needs a training attack");
            }
            Hyperparameters.nonNegative(TrainingMethods.ALP, "lambda", lambda);
            return new AlpObjective(this);
        }
    }
}
