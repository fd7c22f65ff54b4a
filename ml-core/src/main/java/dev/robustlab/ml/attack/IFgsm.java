package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The iterative fast gradient sign method, I-FGSM or BIM, l∞ (Kurakin et al., "Adversarial Examples in the
 * Physical World", ICLR workshop 2017): FGSM in small steps from the clean point, clipped back each step,
 * <pre>
 *   x⁰ = x
 *   x^{t+1} = Clip_{x,ε}(x^t + α · sign ∇_{x^t} ℓ(f(x^t), y)),   t = 0 … T−1
 *   Clip_{x,ε}(v) = min(max(v, x − ε, 0), x + ε, 1)
 * </pre>
 * It is PGD without the random start. The last iterate is returned.
 *
 * <p>Arguments and defaults: ε (required, in (0, 1]), step size α (default ε/4, torchattacks' 2/255 at
 * ε = 8/255), steps T (default 10), loss (default cross-entropy), id (default {@code i-fgsm}). Deterministic:
 * {@code random} is not used. Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result
 * like x.
 *
 * <pre>{@code
 * Attack bim = IFgsm.builder().setEpsilon(8 / 255.0).optSteps(10).build();
 * }</pre>
 */
public final class IFgsm implements Attack {
    private final String id;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final LogitLoss loss;

    private IFgsm(Builder builder) {
        this.id = builder.id;
        this.epsilon = builder.epsilon;
        this.stepSize = Double.isNaN(builder.stepSize) ? builder.epsilon / 4 : builder.stepSize;
        this.steps = builder.steps;
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
            for (int t = 0; t < steps; t++) {
                NDArray next;
                try (NDManager step = scope.newSubManager()) {
                    step.tempAttachAll(adversarial);
                    NDArray gradient = Batches.gradient(model, adversarial, labels, loss, step).gradient();
                    next = Norm.LINF.project(gradient.sign().muli(stepSize).addi(adversarial), x, epsilon);
                    next.attach(scope);
                }
                adversarial.close();
                adversarial = next;
            }
            adversarial.attach(owner);
            return adversarial;
        }
    }

    /** Builds an {@link IFgsm}. */
    public static final class Builder {
        private String id = "i-fgsm";
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = 10;
        private LogitLoss loss = LogitLoss.crossEntropy();

        private Builder() {
        }

        /** Radius ε of the l∞ ball, in (0, 1]. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Step size α > 0 (default ε/4). */
        public Builder optStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Steps T ≥ 1 (default 10). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The loss to ascend (default cross-entropy). */
        public Builder optLoss(LogitLoss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** The id (default {@code i-fgsm}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1], a non-positive step size or steps &lt; 1 */
        public IFgsm build() {
            Arguments.epsilon(epsilon);
            if (!Double.isNaN(stepSize)) {
                Arguments.positive("stepSize", stepSize);
            }
            Arguments.atLeast("steps", steps, 1);
            return new IFgsm(this);
        }
    }
}
