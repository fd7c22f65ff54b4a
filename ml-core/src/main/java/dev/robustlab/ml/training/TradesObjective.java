package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.loss.KlDivergence;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code trades} (Zhang et al., "Theoretically Principled Trade-off between Robustness and Accuracy", ICML 2019):
 * <pre>
 *   L = 1/B Σ_i CE(f(x_i), y_i) + β · 1/B Σ_i KL(p(x_i) ‖ p(x'_i)),   p = softmax ∘ f
 * </pre>
 * the KL summed over classes and averaged over the batch (PyTorch's {@code 'batchmean'}), gradients through both
 * p(x) and p(x') as in the TRADES code. x' maximises the same KL from x + 0.001·N(0, I) ({@link TradesAttack},
 * in inference mode); the loss runs in training mode, clean batch first. β = 6 by default. The epoch summary's
 * accuracy is on x'.
 */
public final class TradesObjective implements TrainingObjective {
    private static final LogitLoss CROSS_ENTROPY = LogitLoss.crossEntropy();

    private final Attack attack;
    private final double beta;

    private TradesObjective(Builder builder) {
        this.attack = builder.attack;
        this.beta = builder.beta;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return TrainingMethods.TRADES;
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
     * 1/B Σ_i CE(f(x_i), y_i) + β · 1/B Σ_i ω_i · KL(p(x_i) ‖ p(x'_i)) from the clean and adversarial logits, with
     * weights ω {@code (B)} on the KL terms (MAIL's), or ω = 1 when {@code klWeights} is null (TRADES itself).
     */
    static NDArray loss(NDArray cleanLogits, NDArray adversarialLogits, NDArray labels, double beta,
                        NDArray klWeights) {
        NDArray natural = CROSS_ENTROPY.mean(cleanLogits, labels);
        NDArray kl = KlDivergence.perExample(cleanLogits, adversarialLogits);
        NDArray robust = (klWeights == null ? kl : kl.mul(klWeights)).mean();
        return natural.add(Scalars.times(robust, beta));
    }

    /** Builds a {@link TradesObjective}. */
    public static final class Builder {
        private Attack attack;
        private double beta = TrainingMethods.defaults(TrainingMethods.TRADES).get("beta");

        private Builder() {
        }

        /** The training attack that crafts x' (TRADES's: {@link TradesAttack}). */
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
        public TradesObjective build() {
            if (attack == null) {
                throw new IllegalArgumentException("trades needs a training attack");
            }
            Hyperparameters.nonNegative(TrainingMethods.TRADES, "beta", beta);
            return new TradesObjective(this);
        }
    }
}
