package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.loss.ProbabilisticMargin;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code mail-at}, {@code mail-trades}, {@code mail-mart}: MAIL, margin-aware instance reweighting (Wang et al.,
 * "Probabilistic Margins for Instance Reweighting in Adversarial Training", NeurIPS 2021), applied to the AT,
 * TRADES and MART losses. Each example gets the weight
 * <pre>
 *   ω_i = 3 · σ(s · (PM_i + b)),   PM_i = max_{k≠y_i} p_k(x'_i) − p_{y_i}(x'_i),   p = softmax ∘ f
 * </pre>
 * computed on the adversarial logits of the training forward and detached (a weight, not a term), so examples
 * near or past the decision boundary weigh more; b = −1.5, s = 1 by default. The weight multiplies the term of
 * each loss that the MAIL code weights, and the batch mean divides by B (weights are not renormalised to sum to
 * B: the factor 3 is MAIL's fixed normalisation):
 * <pre>
 *   mail-at:     L = 1/B Σ_i ω_i · CE(f(x'_i), y_i)
 *   mail-trades: L = 1/B Σ_i CE(f(x_i), y_i) + β · 1/B Σ_i ω_i · KL(p(x_i) ‖ p(x'_i))
 *   mail-mart:   L = 1/B Σ_i ω_i · BCE(p(x'_i), y_i) + β · 1/B Σ_i KL(p(x_i) ‖ p(x'_i)) · (1 − p_{y_i}(x_i))
 * </pre>
 * with BCE and the MART term as in {@link MartObjective} and the KL as in {@link TradesObjective}; β = 6. x' is
 * CE-PGD's for mail-at and mail-mart (from PGD's uniform random start; the MAIL code starts from x + 0.001·N(0, I))
 * and {@link TradesAttack}'s for mail-trades, crafted in inference mode; the loss runs in training mode, clean
 * batch first. The MAIL code starts reweighting from a checkpoint of the base method (epoch 75 of 120): that
 * schedule belongs to the run; this objective weights from its first step. The epoch summary's accuracy is on x'.
 */
public final class MailObjective implements TrainingObjective {
    /** MAIL's fixed scale of the weights, ω ∈ (0, 3). */
    public static final double WEIGHT_SCALE = 3;

    private final Base base;
    private final Attack attack;
    private final double beta;
    private final double bias;
    private final double slope;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    /** The loss MAIL reweights. */
    public enum Base {
        /** PGD-AT: {@code mail-at}. */
        AT(TrainingMethods.MAIL_AT),
        /** TRADES: {@code mail-trades}. */
        TRADES(TrainingMethods.MAIL_TRADES),
        /** MART: {@code mail-mart}. */
        MART(TrainingMethods.MAIL_MART);

        private final String id;

        Base(String id) {
            this.id = id;
        }

        /** The method id. */
        public String id() {
            return id;
        }
    }

    private MailObjective(Builder builder) {
        this.base = builder.base;
        this.attack = builder.attack;
        this.beta = builder.beta;
        this.bias = builder.bias;
        this.slope = builder.slope;
    }

    /** A builder for MAIL on {@code base}: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder(Base base) {
        return new Builder(Objects.requireNonNull(base, "base"));
    }

    @Override
    public String id() {
        return base.id();
    }

    /** The reweighted loss. */
    public Base base() {
        return base;
    }

    /** β (not used by {@code mail-at}). */
    public double beta() {
        return beta;
    }

    /** b. */
    public double bias() {
        return bias;
    }

    /** s. */
    public double slope() {
        return slope;
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
     * {@link #loss} with the weights ω given, or computed when {@code fixedWeights} is null: a finite-difference
     * check holds the detached weights fixed.
     */
    Value loss(Classifier model, NDList prepared, NDArray labels, NDArray fixedWeights) {
        NDArray adversarial = AdversarialPair.adversarial(prepared);
        if (base == Base.AT) {
            NDArray adversarialLogits = model.logits(adversarial, true);
            NDArray weights = fixedWeights != null ? fixedWeights : weights(adversarialLogits, labels);
            NDArray loss = crossEntropy.perExample(adversarialLogits, labels).mul(weights).mean();
            return new Value(loss, adversarialLogits);
        }
        NDArray cleanLogits = model.logits(AdversarialPair.clean(prepared), true);
        NDArray adversarialLogits = model.logits(adversarial, true);
        NDArray weights = fixedWeights != null ? fixedWeights : weights(adversarialLogits, labels);
        NDArray loss = base == Base.TRADES
                ? TradesObjective.loss(cleanLogits, adversarialLogits, labels, beta, weights)
                : MartObjective.loss(cleanLogits, adversarialLogits, labels, beta, weights);
        return new Value(loss, adversarialLogits);
    }

    /** ω_i = 3·σ(s·(PM_i + b)) per example, shape {@code (B)}, without gradient. */
    NDArray weights(NDArray adversarialLogits, NDArray labels) {
        NDArray margin = ProbabilisticMargin.of(adversarialLogits.stopGradient(), labels);
        return Activation.sigmoid(margin.add(bias).mul(slope)).mul(WEIGHT_SCALE);
    }

    /** Builds a {@link MailObjective}. */
    public static final class Builder {
        private final Base base;
        private Attack attack;
        private double beta;
        private double bias;
        private double slope;
        private boolean betaSet;

        private Builder(Base base) {
            this.base = base;
            var defaults = TrainingMethods.defaults(base.id());
            this.beta = defaults.getOrDefault("beta", Double.NaN);
            this.bias = defaults.get("bias");
            this.slope = defaults.get("slope");
        }

        /** The training attack that crafts x' (CE-PGD for AT and MART, {@link TradesAttack} for TRADES). */
        public Builder setAttack(Attack attack) {
            this.attack = Objects.requireNonNull(attack, "attack");
            return this;
        }

        /** β ≥ 0, the weight of the KL term of TRADES and MART (default 6); {@code mail-at} takes none. */
        public Builder optBeta(double beta) {
            this.beta = beta;
            this.betaSet = true;
            return this;
        }

        /** b, the margin's offset (default −1.5). */
        public Builder optBias(double bias) {
            this.bias = bias;
            return this;
        }

        /** s, the sigmoid's slope (default 1). */
        public Builder optSlope(double slope) {
            this.slope = slope;
            return this;
        }

        /**
         * @throws IllegalArgumentException without an attack, with a negative or non-finite β, a non-finite b or
         *                                  s, or a β for {@code mail-at}
         */
        public MailObjective build() {
            if (attack == null) {
                throw new IllegalArgumentException(base.id() + " needs a training attack");
            }
            if (base == Base.AT) {
                if (betaSet) {
                    throw new IllegalArgumentException("training method '" + base.id()
                            + "': parameter 'beta' is not taken (AT has no KL term)");
                }
            } else {
                Hyperparameters.nonNegative(base.id(), "beta", beta);
            }
            Hyperparameters.finite(base.id(), "bias", bias);
            Hyperparameters.finite(base.id(), "slope", slope);
            return new MailObjective(this);
        }
    }
}
