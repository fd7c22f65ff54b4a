package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
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
 * It is {@link Pgd} without the random start, and runs as one. The last iterate is returned.
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
    private final Pgd pgd;

    private IFgsm(Pgd pgd) {
        this.pgd = pgd;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return pgd.id();
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return pgd.perturb(model, x, labels, random);
    }

    /** Builds an {@link IFgsm}. */
    public static final class Builder {
        private final Pgd.Builder pgd = Pgd.builder().optRandomStart(false).optId("i-fgsm");
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = 10;

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
            pgd.optLoss(loss);
            return this;
        }

        /** The id (default {@code i-fgsm}). */
        public Builder optId(String id) {
            pgd.optId(Objects.requireNonNull(id, "id"));
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1], a non-positive step size or steps &lt; 1 */
        public IFgsm build() {
            Arguments.epsilon(epsilon);
            Arguments.atLeast("steps", steps, 1);
            double alpha = Double.isNaN(stepSize) ? epsilon / 4 : stepSize;
            return new IFgsm(pgd.setEpsilon(epsilon).setStepSize(alpha).optSteps(steps).build());
        }
    }
}
