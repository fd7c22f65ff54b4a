package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.loss.BoostedCrossEntropy;
import dev.robustlab.ml.loss.KlDivergence;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code mart}, misclassification-aware adversarial training (Wang et al., "Improving Adversarial Robustness
 * Requires Revisiting Misclassified Examples", ICLR 2020):
 * <pre>
 *   L = 1/B Σ_i BCE(p(x'_i), y_i) + β · 1/B Σ_i KL(p(x_i) ‖ p(x'_i)) · (1 − p_{y_i}(x_i)),   p = softmax ∘ f
 *   BCE(p, y) = −log p_y − log(1 − max_{k≠y} p_k)
 * </pre>
 * the KL per example summed over classes, weighted, averaged over the batch, as in the MART code; gradients flow
 * through p(x), p(x') and the weight 1 − p_y(x) (the code detaches none of them). BCE is computed exactly
 * ({@link BoostedCrossEntropy}; the code's log(1.0001 − p + 1e-12) and 1.0000001 − p_y shift it by up to 1e-4).
 * x' is the training attack's (CE-PGD of the threat model from its uniform random start, in inference mode; the
 * MART code starts CE-PGD from x + 0.001·N(0, I)); the loss runs in training mode, clean batch first. β = 6 by
 * default. The epoch summary's accuracy is on x'.
 */
public final class MartObjective implements TrainingObjective {
    private final Attack attack;
    private final double beta;

    private MartObjective(Builder builder) {
        this.attack = builder.attack;
        this.beta = builder.beta;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return TrainingMethods.MART;
    }

    /** β. */
    public double beta() {
        return beta;
    }

    /** @return {@code (x, x')} */
    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return AdversarialPair.of(x, attack.perturb(model, x, labels, random));
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        NDArray cleanLogits = model.logits(AdversarialPair.clean(prepared), true);
        NDArray adversarialLogits = model.logits(AdversarialPair.adversarial(prepared), true);
        return new Value(loss(cleanLogits, adversarialLogits, labels, beta, null), adversarialLogits);
    }

    /**
     * 1/B Σ_i ω_i · BCE(p(x'_i), y_i) + β · 1/B Σ_i KL(p(x_i) ‖ p(x'_i)) · (1 − p_{y_i}(x_i)) from the clean and
     * adversarial logits, with weights ω {@code (B)} on the BCE terms (MAIL's), or ω = 1 when {@code bceWeights} is
     * null (MART itself).
     */
    static NDArray loss(NDArray cleanLogits, NDArray adversarialLogits, NDArray labels, double beta,
                        NDArray bceWeights) {
        NDArray bce = BoostedCrossEntropy.perExample(adversarialLogits, labels);
        NDArray boosted = (bceWeights == null ? bce : bce.mul(bceWeights)).mean();
        NDArray robust = misclassificationAwareKl(cleanLogits, adversarialLogits, labels).mean();
        return boosted.add(Scalars.times(robust, beta));
    }

    /** KL(p(x_i) ‖ p(x'_i)) · (1 − p_{y_i}(x_i)) per example, shape {@code (B)}, with gradients through all. */
    private static NDArray misclassificationAwareKl(NDArray cleanLogits, NDArray adversarialLogits, NDArray labels) {
        NDArray trueProbability = Softmax.trueClass(cleanLogits, labels);
        return KlDivergence.perExample(cleanLogits, adversarialLogits).mul(trueProbability.neg().add(1));
    }

    /** Builds a {@link MartObjective}. */
    public static final class Builder {
        private Attack attack;
        private double beta = TrainingMethods.defaults(TrainingMethods.MART).get("beta");

        private Builder() {
        }

        /** The training attack that crafts x' (the papers': CE-PGD). */
        public Builder setAttack(Attack attack) {
            this.attack = Objects.requireNonNull(attack, "attack");
            return this;
        }

        /** β ≥ 0, the weight of the KL term (default 6). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** @throws IllegalArgumentException without an attack or with a negative or non-finite β */
        public MartObjective build() {
            if (attack == null) {
                throw new IllegalArgumentException("mart needs a training attack");
            }
            Hyperparameters.nonNegative(TrainingMethods.MART, "beta", beta);
            return new MartObjective(this);
        }
    }
}
