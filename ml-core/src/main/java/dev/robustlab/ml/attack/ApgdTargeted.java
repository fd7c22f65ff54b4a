package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * APGD-T, l∞ or l2 (Croce &amp; Hein, ICML 2020, section 4): {@link Apgd} on the targeted difference of logits ratio
 * {@link LogitLoss#targetedDlr}, once per target class, on the points no earlier target has broken,
 * <pre>
 *   t_r(x) = the (r+1)-th most likely class of f(x),   r = 1 … T   (T = min(9, K − 1): the 2nd … 10th classes)
 *   for r = 1 … T:  x'_i = APGD(ℓ = DLR_T(·, y_i, t_r(x_i)))(x_i)   for every i still classified correctly
 * </pre>
 * An example counts as broken (success) as soon as one run misclassifies it; it then keeps that run's point.
 * Examples misclassified clean are broken from the start and keep x. Examples no run breaks keep the point of
 * highest loss of the most likely target's run. Needs K ≥ 4 classes (DLR_T reads z_π4).
 *
 * <p>Arguments and defaults: ε (required), norm (default l∞), iterations N per target (default 100), targets T
 * (default 9), ρ (default 0.75), id (default {@code apgd-t}). Shapes: x {@code (B, ...)} FLOAT32 in [0,1],
 * labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack apgdT = ApgdTargeted.builder().setEpsilon(8 / 255.0).build();
 * AttackResult result = apgdT.run(model, x, y, Seeds.stream(seed, "apgd-t"));
 * }</pre>
 */
public final class ApgdTargeted implements Attack {
    private final String id;
    private final int targets;
    private final Apgd apgd;

    private ApgdTargeted(Builder builder, Apgd apgd) {
        this.id = builder.id;
        this.targets = builder.targets;
        this.apgd = apgd;
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
        return run(model, x, labels, random).adversarial();
    }

    @Override
    public AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            int batch = Math.toIntExact(x.getShape().get(0));
            int classes;
            long[] ranking;
            boolean[] success;
            try (NDManager clean = scope.newSubManager()) {
                NDArray leaf = x.stopGradient();
                leaf.attach(clean);
                NDArray logits = model.logits(leaf, false);
                classes = Math.toIntExact(logits.getShape().get(1));
                if (classes < 4) {
                    throw new IllegalArgumentException("APGD-T needs at least 4 classes, got " + classes);
                }
                ranking = logits.argSort(1, false).toLongArray();
                success = Batches.misclassified(logits, labels);
            }
            NDArray adversarial = x.duplicate();
            int runs = Math.min(targets, classes - 1);
            for (int r = 1; r <= runs; r++) {
                int[] rows = Batches.robustRows(success);
                if (rows.length == 0) {
                    break;
                }
                NDArray merged;
                try (NDManager target = scope.newSubManager()) {
                    NDArray xs = Batches.rows(x, rows);
                    NDArray ys = Batches.rows(labels, rows);
                    xs.attach(target);
                    ys.attach(target);
                    long[] classesOfRank = new long[rows.length];
                    for (int k = 0; k < rows.length; k++) {
                        classesOfRank[k] = ranking[rows[k] * classes + r];
                    }
                    NDArray targetClasses = target.create(classesOfRank);
                    Outcome outcome = apgd.attackOnce(model, xs, ys, LogitLoss.targetedDlr(targetClasses),
                            random, target);
                    boolean[] take = outcome.success().clone();
                    if (r == 1) {
                        Arrays.fill(take, true);
                    }
                    NDArray current = Batches.rows(adversarial, rows);
                    current.attach(target);
                    NDArray part = Batches.select(take, outcome.adversarial(), current);
                    merged = Batches.scatter(adversarial, part, rows);
                    merged.attach(scope);
                    for (int k = 0; k < rows.length; k++) {
                        success[rows[k]] |= outcome.success()[k];
                    }
                }
                adversarial.close();
                adversarial = merged;
            }
            adversarial.attach(owner);
            return new AttackResult(adversarial, success);
        }
    }

    /** Builds an {@link ApgdTargeted}. */
    public static final class Builder {
        private final Apgd.Builder apgd = Apgd.builder();
        private String id = "apgd-t";
        private int targets = 9;

        private Builder() {
        }

        /** Radius ε of the ball: in (0, 1] for l∞, positive for l2. */
        public Builder setEpsilon(double epsilon) {
            apgd.setEpsilon(epsilon);
            return this;
        }

        /** The norm of the ball (default l∞). */
        public Builder optNorm(Norm norm) {
            apgd.optNorm(norm);
            return this;
        }

        /** Iterations N ≥ 1 per target (default 100). */
        public Builder optSteps(int steps) {
            apgd.optSteps(steps);
            return this;
        }

        /** Target classes T ≥ 1, the 2nd … (T+1)-th most likely (default 9; at most K − 1 are used). */
        public Builder optTargets(int targets) {
            this.targets = targets;
            return this;
        }

        /** ρ ∈ (0, 1) (default 0.75). */
        public Builder optRho(double rho) {
            apgd.optRho(rho);
            return this;
        }

        /** The id (default {@code apgd-t}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on a bad ε, N &lt; 1, T &lt; 1 or ρ outside (0, 1) */
        public ApgdTargeted build() {
            Arguments.atLeast("targets", targets, 1);
            return new ApgdTargeted(this, apgd.optId(id).build());
        }
    }
}
