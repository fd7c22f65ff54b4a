package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.loss.KlDivergence;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * TRADES's training attack (Zhang et al., "Theoretically Principled Trade-off between Robustness and Accuracy",
 * ICML 2019): the point of B_ε(x) ∩ [0,1]^d whose prediction is farthest, in KL, from the clean one,
 * <pre>
 *   x⁰ = Π(x + σ·ξ),  ξ ~ N(0, I),  σ = 0.001
 *   x^{t+1} = Π(x^t + α · d(∇_{x^t} Σ_i KL(p(x_i) ‖ p(x^t_i)))),   t = 0 … K−1,   p = softmax ∘ f
 * </pre>
 * with d and Π those of {@link Pgd} in the threat's norm (l∞: sign and clip; l2: normalised gradient and rescale),
 * p(x) a fixed target computed once, and the model in inference mode throughout (BatchNorm on its running
 * statistics), as the TRADES code calls {@code model.eval()} before generating; the model's parameters get no
 * gradient. The start is not x itself because there the KL and its gradient vanish. The noise ξ is drawn from the
 * given {@link SplittableRandom}, one N(0, 1) per input value in row-major order. Differences from the reference
 * code: the start is projected too (the code projects from the first step on; the two agree on an example whose
 * x + σ·ξ lies in the ball and the box, and can ascend differently from step one on one with a coordinate at a face
 * of [0,1]^d or a radius below the noise), and l2 takes PGD's steps (the code runs SGD on δ).
 *
 * <p>In l∞ the ball may have a radius ε_i per example instead of ε ({@link #perturb(Classifier, NDArray, NDArray,
 * float[], SplittableRandom)}): CFA's class-wise radii, Π_i the projection onto B_{ε_i}(x_i) ∩ [0,1]^d.
 *
 * <p>Arguments: ε, α, K and the norm from the threat model; σ (default 0.001). Shapes: x {@code (B, ...)} in
 * [0,1], labels {@code (B)} INT64 (unused: the target is the clean prediction), result like x, in x's manager.
 */
public final class TradesAttack implements Attack {
    /** σ of the TRADES code's start x + 0.001·N(0, I). */
    public static final double START_DEVIATION = 0.001;

    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final Norm norm;
    private final double startDeviation;

    private TradesAttack(Builder builder) {
        this.epsilon = builder.epsilon;
        this.stepSize = builder.stepSize;
        this.steps = builder.steps;
        this.norm = builder.norm;
        this.startDeviation = builder.startDeviation;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "trades-kl-" + steps;
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return fromGaussianStart(model, x, labels, null, random);
    }

    /**
     * x' in balls of radius ε_i per example (l∞ only; the builder's ε is not used), from the Gaussian start.
     *
     * @param epsilon ε_i ≥ 0 per example (radii above 1 leave the box [0,1]^d as the only bound)
     * @throws IllegalArgumentException on a radius that is negative, not finite or not one per example, or an l2
     *                                  attack
     */
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, float[] epsilon, SplittableRandom random) {
        return fromGaussianStart(model, x, labels, Objects.requireNonNull(epsilon, "epsilon"), random);
    }

    /**
     * x' from the given start instead of the Gaussian one (projected first), in balls of radius ε_i per example
     * (l∞ only); nothing is drawn.
     *
     * @param start a point near x, shape of x
     * @param epsilon ε_i ≥ 0 per example
     */
    public NDArray perturbFrom(Classifier model, NDArray x, NDArray start, NDArray labels, float[] epsilon) {
        return fromStart(model, x, start, labels, Objects.requireNonNull(epsilon, "epsilon"));
    }

    private NDArray fromGaussianStart(Classifier model, NDArray x, NDArray labels, float[] radii,
                                      SplittableRandom random) {
        try (NDManager starts = x.getManager().newSubManager()) {
            NDArray start = TrainingNoise.gaussianAround(x, startDeviation, random, starts);
            return fromStart(model, x, start, labels, radii);
        }
    }

    /** Pgd on the KL to p(x) from {@code start}; in the builder's ε, or in radii ε_i when they are given. */
    private NDArray fromStart(Classifier model, NDArray x, NDArray start, NDArray labels, float[] radii) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray target;
            try (FrozenParameters frozen = FrozenParameters.freeze(model)) {
                NDArray input = x.stopGradient();
                input.attach(scope);
                target = model.logits(input, false).stopGradient();
                target.attach(scope);
            }
            Pgd pgd = Pgd.builder().setEpsilon(epsilon).setStepSize(stepSize).optNorm(norm).optSteps(steps)
                    .optLoss(KlDivergence.from(target)).optRandomStart(false).optId(id()).build();
            return radii == null ? pgd.perturbFrom(model, x, start, labels)
                    : pgd.perturbFrom(model, x, start, labels, radii);
        }
    }

    /** Builds a {@link TradesAttack}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = 10;
        private Norm norm = Norm.LINF;
        private double startDeviation = START_DEVIATION;

        private Builder() {
        }

        /** Radius ε of the ball. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Step size α > 0. */
        public Builder setStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Steps K ≥ 0 (default 10). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The norm of the ball (default l∞). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** σ of the Gaussian start, ≥ 0 (default 0.001). */
        public Builder optStartDeviation(double startDeviation) {
            this.startDeviation = startDeviation;
            return this;
        }

        /** @throws IllegalArgumentException on an invalid ε, step size, step count or start deviation */
        public TradesAttack build() {
            if (!(startDeviation >= 0) || Double.isInfinite(startDeviation)) {
                throw new IllegalArgumentException("startDeviation must be finite and ≥ 0, got " + startDeviation);
            }
            // Pgd checks ε, α and K, with the same messages as the evaluation attacks
            Pgd.builder().setEpsilon(epsilon).setStepSize(stepSize).optNorm(norm).optSteps(steps).build();
            return new TradesAttack(this);
        }
    }
}
