package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The momentum iterative fast gradient sign method, MI-FGSM, l∞ (Dong et al., "Boosting Adversarial Attacks with
 * Momentum", CVPR 2018): I-FGSM whose sign is taken of an accumulated, l1-normalised gradient,
 * <pre>
 *   x⁰ = x,  g⁰ = 0
 *   g^{t+1} = μ · g^t + ∇_{x^t} ℓ(f(x^t), y) / ‖∇_{x^t} ℓ(f(x^t), y)‖₁      (‖·‖₁ per example)
 *   x^{t+1} = Clip_{x,ε}(x^t + α · sign g^{t+1}),   t = 0 … T−1
 * </pre>
 * The last iterate is returned.
 *
 * <p>Arguments and defaults: ε (required, in (0, 1]), steps T (default 10), step size α (default ε/T, the paper's),
 * decay μ (default 1.0), loss (default cross-entropy), id (default {@code mi-fgsm}). Deterministic: {@code random}
 * is not used. Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack mifgsm = MiFgsm.builder().setEpsilon(8 / 255.0).build();
 * }</pre>
 */
public final class MiFgsm implements Attack {
    private final String id;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final double decay;
    private final LogitLoss loss;

    private MiFgsm(Builder builder) {
        this.id = builder.id;
        this.epsilon = builder.epsilon;
        this.steps = builder.steps;
        this.stepSize = Double.isNaN(builder.stepSize) ? builder.epsilon / builder.steps : builder.stepSize;
        this.decay = builder.decay;
        this.loss = builder.loss;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray adversarial = x.duplicate();
            NDArray momentum = x.zerosLike();
            for (int t = 0; t < steps; t++) {
                NDArray nextMomentum;
                NDArray next;
                try (NDManager step = scope.newSubManager()) {
                    step.tempAttachAll(adversarial, momentum);
                    NDArray gradient = Batches.lossGradient(model, adversarial, labels, loss, step);
                    NDArray l1 = gradient.abs().sum(Batches.featureAxes(gradient), true).maximum(Float.MIN_NORMAL);
                    nextMomentum = gradient.div(l1).addi(momentum.mul(decay));
                    next = Norm.LINF.project(nextMomentum.sign().muli(stepSize).addi(adversarial), x, epsilon);
                    nextMomentum.attach(scope);
                    next.attach(scope);
                }
                adversarial.close();
                momentum.close();
                adversarial = next;
                momentum = nextMomentum;
            }
            adversarial.attach(owner);
            return adversarial;
        }
    }

    /** Builds an {@link MiFgsm}. */
    public static final class Builder {
        private String id = "mi-fgsm";
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = 10;
        private double decay = 1.0;
        private LogitLoss loss = LogitLoss.crossEntropy();

        private Builder() {
        }

        /** Radius ε of the l∞ ball, in (0, 1]. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Step size α > 0 (default ε/T). */
        public Builder optStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Steps T ≥ 1 (default 10). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Momentum decay μ ≥ 0 (default 1.0). */
        public Builder optDecay(double decay) {
            this.decay = decay;
            return this;
        }

        /** The loss to ascend (default cross-entropy). */
        public Builder optLoss(LogitLoss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** The id (default {@code mi-fgsm}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1], a bad step size, steps &lt; 1 or μ &lt; 0 */
        public MiFgsm build() {
            Arguments.epsilon(epsilon);
            if (!Double.isNaN(stepSize)) {
                Arguments.positive("stepSize", stepSize);
            }
            Arguments.atLeast("steps", steps, 1);
            if (!(decay >= 0) || Double.isInfinite(decay)) {
                throw new IllegalArgumentException("decay must be ≥ 0, got " + decay);
            }
            return new MiFgsm(this);
        }
    }
}
