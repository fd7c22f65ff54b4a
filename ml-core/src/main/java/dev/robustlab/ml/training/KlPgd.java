package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/**
 * TRADES' inner maximisation (Zhang et al., "Theoretically Principled Trade-off between Robustness and Accuracy",
 * ICML 2019), l∞, with a radius per example (CFA's class-wise ε; one radius for all gives TRADES' own attack):
 * <pre>
 *   x'⁰ = x + 0.001·N(0, I)
 *   x'^{t+1} = Π_i(x'^t + α·sign ∇_{x'} Σ_i KL(p(x_i) ‖ p(x'^t_i))),   t = 0 … K−1
 * </pre>
 * Π_i the projection onto B_{ε_i}(x_i) ∩ [0,1]^d, p = softmax∘f with the model in inference mode (BatchNorm on
 * its running statistics, as {@code model.eval()} in the authors' code), p(x) computed once (its gradient does
 * not reach x'). The start is not projected, as in the authors' code. The model's parameters get no gradient.
 */
public final class KlPgd {
    /** Standard deviation of the Gaussian start around x. */
    public static final double START_NOISE = 0.001;

    private final double stepSize;
    private final int steps;

    /**
     * @param stepSize α &gt; 0
     * @param steps    K ≥ 0
     */
    public KlPgd(double stepSize, int steps) {
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException("stepSize must be a positive number, got " + stepSize);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        this.stepSize = stepSize;
        this.steps = steps;
    }

    /**
     * x' from a Gaussian start drawn from {@code random}.
     *
     * @param x       clean inputs {@code (B, …)} in [0,1]
     * @param epsilon ε_i ≥ 0 per example (radii above 1 leave the box [0,1]^d as the only bound)
     * @return x', in x's manager
     */
    public NDArray perturb(Classifier model, NDArray x, float[] epsilon, SplittableRandom random) {
        try (NDManager starts = x.getManager().newSubManager()) {
            return perturbFrom(model, x, TrainingNoise.gaussianAround(x, START_NOISE, random, starts), epsilon);
        }
    }

    /** x' from a Gaussian start with one radius ε for every example (TRADES' own attack); in x's manager. */
    public NDArray perturb(Classifier model, NDArray x, double epsilon, SplittableRandom random) {
        float[] radius = new float[Math.toIntExact(x.getShape().get(0))];
        java.util.Arrays.fill(radius, (float) epsilon);
        return perturb(model, x, radius, random);
    }

    /** x' from the given start {@code (B, …)}; in x's manager. */
    public NDArray perturbFrom(Classifier model, NDArray x, NDArray start, float[] epsilon) {
        long batch = x.getShape().get(0);
        if (epsilon.length != batch) {
            throw new IllegalArgumentException(epsilon.length + " radii for a batch of " + batch);
        }
        for (float radius : epsilon) {
            if (!(radius >= 0) || Float.isInfinite(radius)) {
                throw new IllegalArgumentException("epsilon must be a number ≥ 0 per example, got " + radius);
            }
        }
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x);
            NDArray radius = TrainingNoise.perExample(epsilon, x, scope);
            NDArray lowerBound = x.sub(radius).maximum(0f);
            NDArray upperBound = x.add(radius).minimum(1f);
            NDArray target = model.logits(x, false).stopGradient();
            NDArray current = ParameterValues.copy(start, scope);
            for (int t = 0; t < steps; t++) {
                NDArray next = ascend(model, target, current, lowerBound, upperBound, scope);
                current.close();
                current = next;
            }
            current.attach(owner);
            return current;
        }
    }

    private NDArray ascend(Classifier model, NDArray target, NDArray current, NDArray lowerBound,
                           NDArray upperBound, NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            step.tempAttachAll(target);
            NDArray leaf = current.stopGradient();
            leaf.attach(step);
            leaf.setRequiresGradient(true);
            try (GradientScope gradients = GradientScope.open()) {
                NDArray logits = model.logits(leaf, false);
                gradients.backward(SoftmaxDivergences.kl(target, logits).sum());
            }
            NDArray next = leaf.getGradient().sign().muli(stepSize).addi(current).maximum(lowerBound)
                    .minimum(upperBound);
            next.attach(scope);
            return next;
        }
    }
}
