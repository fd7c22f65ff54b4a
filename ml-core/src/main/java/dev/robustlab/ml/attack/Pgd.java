package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Projected gradient descent, l∞ (Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks",
 * ICLR 2018): maximises a loss ℓ(f(x'), y) over x' ∈ B_ε(x) ∩ [0,1]^d by signed gradient ascent,
 * <pre>
 *   x⁰ = Π(x + δ), δ ~ U(−ε, ε)^d          (random start; x⁰ = x without it)
 *   x^{t+1} = Π(x^t + α · sign ∇_{x^t} ℓ(f(x^t), y)),   t = 0 … K−1
 *   Π(v) = min(max(v, max(x − ε, 0)), min(x + ε, 1))    (projection onto B_ε(x) ∩ [0,1]^d)
 * </pre>
 * With {@link LogitLoss#crossEntropy()} this is PGD-K; with {@link LogitLoss#cwMargin()} it is CW∞ as the PIAT and
 * ST papers evaluate it (PGD on max_{k≠y} z_k − z_y). The last iterate is returned, as in those papers' code.
 *
 * <p>Arguments and defaults: ε (required), step size α (required; the papers use ε/4, 2/255 at ε = 8/255),
 * steps K (default 10, the training attack; evaluation uses 20), loss (default cross-entropy), random start
 * (default on). Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack pgd20 = Pgd.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(20).build();
 * NDArray xAdv = pgd20.perturb(model, x, y, Seeds.stream(seed, "attack"));
 * }</pre>
 */
public final class Pgd implements Attack {
    private final String id;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final LogitLoss loss;
    private final boolean randomStart;

    private Pgd(Builder builder) {
        this.id = builder.id;
        this.epsilon = builder.epsilon;
        this.stepSize = builder.stepSize;
        this.steps = builder.steps;
        this.loss = builder.loss;
        this.randomStart = builder.randomStart;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    /** ε. */
    public double epsilon() {
        return epsilon;
    }

    /** α. */
    public double stepSize() {
        return stepSize;
    }

    /** K. */
    public int steps() {
        return steps;
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray lower = x.sub(epsilon).maximum(0f);
            NDArray upper = x.add(epsilon).minimum(1f);
            NDArray adversarial = randomStart
                    ? x.add(uniformNoise(scope, x, random)).maximum(lower).minimum(upper)
                    : x.duplicate();
            for (int t = 0; t < steps; t++) {
                NDArray next = ascend(model, adversarial, labels, lower, upper, scope);
                adversarial.close();
                adversarial = next;
            }
            adversarial.attach(owner);
            return adversarial;
        }
    }

    /** One step x^{t+1} = Π(x^t + α·sign ∇ℓ); the result lives in {@code scope}, the step's temporaries do not. */
    private NDArray ascend(Classifier model, NDArray current, NDArray labels, NDArray lower, NDArray upper,
                           NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray leaf = current.stopGradient();
            leaf.attach(step);
            leaf.setRequiresGradient(true);
            try (GradientScope gradients = GradientScope.open()) {
                NDArray logits = model.logits(leaf, false);
                gradients.backward(loss.perExample(logits, labels).sum());
            }
            NDArray gradient = leaf.getGradient();
            gradient.attach(step);
            NDArray next = gradient.sign().muli(stepSize).addi(current).maximum(lower).minimum(upper);
            next.attach(scope);
            return next;
        }
    }

    private NDArray uniformNoise(NDManager manager, NDArray like, SplittableRandom random) {
        float[] noise = new float[Math.toIntExact(like.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) ((2 * random.nextDouble() - 1) * epsilon);
        }
        return manager.create(noise, like.getShape());
    }

    /** Builds a {@link Pgd}. */
    public static final class Builder {
        private String id;
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = 10;
        private LogitLoss loss = LogitLoss.crossEntropy();
        private boolean randomStart = true;

        private Builder() {
        }

        /** Radius ε of the l∞ ball, in (0, 1]. */
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

        /** The loss to ascend (default cross-entropy). */
        public Builder optLoss(LogitLoss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** Whether to start from a uniform random point of the ball (default true). */
        public Builder optRandomStart(boolean randomStart) {
            this.randomStart = randomStart;
            return this;
        }

        /** The id reported by {@link Pgd#id()} (default {@code pgd-K}). */
        public Builder optId(String id) {
            this.id = id;
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1], a non-positive step size or negative steps */
        public Pgd build() {
            if (!(epsilon > 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("epsilon must be in (0, 1], got " + epsilon);
            }
            if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
                throw new IllegalArgumentException("stepSize must be a positive number, got " + stepSize);
            }
            if (steps < 0) {
                throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
            }
            if (id == null) {
                id = "pgd-" + steps;
            }
            return new Pgd(this);
        }
    }
}
