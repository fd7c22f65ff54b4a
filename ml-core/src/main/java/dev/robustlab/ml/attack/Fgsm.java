package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/**
 * The fast gradient sign method, l∞ (Goodfellow et al., "Explaining and Harnessing Adversarial Examples",
 * ICLR 2015): one step of size ε along the sign of the loss gradient,
 * <pre>
 *   x' = clip_[0,1](x + ε · sign ∇_x ℓ(f(x), y))
 * </pre>
 * that is, one step of {@link IFgsm} with α = ε (the projection onto B_ε(x) then only clips to [0,1]), and it runs
 * as one. On a linear model this is the exact l∞ worst case; on a deep one it is a weak, single-step attack.
 *
 * <p>Arguments and defaults: ε (required, in (0, 1]), loss (default cross-entropy), id (default {@code fgsm}).
 * Deterministic: {@code random} is not used. Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)}
 * INT64, result like x.
 *
 * <pre>{@code
 * Attack fgsm = Fgsm.builder().setEpsilon(8 / 255.0).build();
 * AttackResult result = fgsm.run(model, x, y, Seeds.stream(seed, "attack"));
 * }</pre>
 */
public final class Fgsm implements Attack {
    private final IFgsm oneStep;

    private Fgsm(IFgsm oneStep) {
        this.oneStep = oneStep;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return oneStep.id();
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return oneStep.perturb(model, x, labels, random);
    }

    /** Builds an {@link Fgsm}. */
    public static final class Builder {
        private final IFgsm.Builder iterative = IFgsm.builder().optSteps(1).optId("fgsm");
        private double epsilon = Double.NaN;

        private Builder() {
        }

        /** Radius ε of the l∞ ball, in (0, 1]. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The loss to ascend (default cross-entropy). */
        public Builder optLoss(LogitLoss loss) {
            iterative.optLoss(loss);
            return this;
        }

        /** The id (default {@code fgsm}). */
        public Builder optId(String id) {
            iterative.optId(id);
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1] */
        public Fgsm build() {
            Arguments.epsilon(epsilon);
            return new Fgsm(iterative.setEpsilon(epsilon).optStepSize(epsilon).build());
        }
    }
}
