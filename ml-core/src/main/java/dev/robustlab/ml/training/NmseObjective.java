package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code nmse}: PGD-AT with the normalised mean squared error between clean and adversarial logits of the PIAT
 * paper ("Enhancing Adversarial Training via Parameter Interpolation", eq. 11-12):
 * <pre>
 *   L      = 1/B Σ_i CE(f(x'_i), y_i) + μ · L_NMSE          (CE on f(x_i) instead with ce_on_clean = 1)
 *   L_NMSE = 1/B Σ_i w_i · ‖ z'_i/‖z'_i‖₂ − z_i/‖z_i‖₂ ‖₂²,   z = f(x), z' = f(x'),   w_i = 1 − p_{y_i}(x_i)
 * </pre>
 * with p = softmax(z) the clean prediction. Gradients flow through both logit sets; the weight w is detached (a
 * weight on how badly the clean example is classified, as MART's 1 − p_y but not a term to minimise: METHODS.md
 * is silent, this is the natural reading). A norm below 1e-12 is taken as 1e-12 (PyTorch's {@code F.normalize}).
 * μ = 4 by default. The paper frames PIAT inside PGD-AT, hence CE on x' by default; the port puts it on the clean
 * logits, hence the option. x' is CE-PGD's of the threat model, crafted in inference mode; the loss runs in
 * training mode, clean batch first. The epoch summary's accuracy is on x'.
 */
public final class NmseObjective implements TrainingObjective {
    private static final double TINY = 1e-12;

    private final Attack attack;
    private final double mu;
    private final boolean crossEntropyOnClean;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    private NmseObjective(Builder builder) {
        this.attack = builder.attack;
        this.mu = builder.mu;
        this.crossEntropyOnClean = builder.crossEntropyOnClean;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return TrainingMethods.NMSE;
    }

    /** μ. */
    public double mu() {
        return mu;
    }

    /** Whether the cross-entropy is on the clean logits (ce_on_clean = 1) rather than the adversarial ones. */
    public boolean crossEntropyOnClean() {
        return crossEntropyOnClean;
    }

    /** @return {@code (x, x')} */
    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return AdversarialPair.of(x, attack.perturb(model, x, labels, random));
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        return loss(model, prepared, labels, null);
    }

    /**
     * {@link #loss} with the weights w given, or computed when {@code fixedWeights} is null: a finite-difference
     * check holds the detached weights fixed.
     */
    Value loss(Classifier model, NDList prepared, NDArray labels, NDArray fixedWeights) {
        NDArray cleanLogits = model.logits(AdversarialPair.clean(prepared), true);
        NDArray adversarialLogits = model.logits(AdversarialPair.adversarial(prepared), true);
        NDArray classification = crossEntropy.mean(crossEntropyOnClean ? cleanLogits : adversarialLogits, labels);
        NDArray weights = fixedWeights != null ? fixedWeights : weights(cleanLogits, labels);
        NDArray distance = normalized(adversarialLogits).sub(normalized(cleanLogits)).square().sum(new int[] {1});
        NDArray nmse = distance.mul(weights).mean();
        return new Value(classification.add(Scalars.times(nmse, mu)), adversarialLogits);
    }

    /** w_i = 1 − p_{y_i}(x_i) per example, shape {@code (B)}, without gradient. */
    static NDArray weights(NDArray cleanLogits, NDArray labels) {
        return Softmax.trueClass(cleanLogits.stopGradient(), labels).neg().add(1);
    }

    /** z_i / max(‖z_i‖₂, 1e-12) per row; the floor is applied to ‖z_i‖₂² so that z = 0 has a finite gradient. */
    private static NDArray normalized(NDArray logits) {
        return logits.div(logits.square().sum(new int[] {1}, true).maximum(TINY * TINY).sqrt());
    }

    /** Builds an {@link NmseObjective}. */
    public static final class Builder {
        private Attack attack;
        private double mu = TrainingMethods.defaults(TrainingMethods.NMSE).get("mu");
        private boolean crossEntropyOnClean = TrainingMethods.defaults(TrainingMethods.NMSE).get("ce_on_clean") == 1;

        private Builder() {
        }

        /** The training attack that crafts x' (the paper's: CE-PGD). */
        public Builder setAttack(Attack attack) {
            this.attack = Objects.requireNonNull(attack, "attack");
            return this;
        }

        /** μ ≥ 0, the weight of L_NMSE (default 4). */
        public Builder optMu(double mu) {
            this.mu = mu;
            return this;
        }

        /** Whether the cross-entropy is on the clean logits (default false: on the adversarial ones). */
        public Builder optCrossEntropyOnClean(boolean crossEntropyOnClean) {
            this.crossEntropyOnClean = crossEntropyOnClean;
            return this;
        }

        /** @throws IllegalArgumentException without an attack or with a negative or non-finite μ */
        public NmseObjective build() {
            if (attack == null) {
                throw new IllegalArgumentException("nmse needs a training attack");
            }
            Hyperparameters.nonNegative(TrainingMethods.NMSE, "mu", mu);
            return new NmseObjective(this);
        }
    }
}
