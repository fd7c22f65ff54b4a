package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.engine.Seeds;
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
 * p(x) a fixed target computed once, and the model in inference mode throughout, as the TRADES code calls
 * {@code model.eval()} before generating. The start is not x itself because there the KL and its gradient vanish.
 * The noise ξ is drawn from the given {@link SplittableRandom}. Differences from the reference code: the start is
 * projected too (the code projects from the first step on), and l2 takes PGD's steps (the code runs SGD on δ).
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
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray target;
            try (FrozenParameters frozen = FrozenParameters.freeze(model)) {
                NDArray input = x.stopGradient();
                input.attach(scope);
                target = model.logits(input, false).stopGradient();
                target.attach(scope);
            }
            NDArray start = gaussianNoise(x, random, scope).addi(x);
            Pgd pgd = Pgd.builder().setEpsilon(epsilon).setStepSize(stepSize).optNorm(norm).optSteps(steps)
                    .optLoss(KlDivergence.from(target)).optRandomStart(false).optId(id()).build();
            return pgd.perturbFrom(model, x, start, labels);
        }
    }

    /** σ·ξ, ξ ~ N(0, I) of x's shape, drawn in Java from {@code random}; in {@code manager}. */
    private NDArray gaussianNoise(NDArray like, SplittableRandom random, NDManager manager) {
        float[] noise = new float[Math.toIntExact(like.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (startDeviation * Seeds.gaussian(random));
        }
        return manager.create(noise, like.getShape()).toType(like.getDataType(), false);
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
