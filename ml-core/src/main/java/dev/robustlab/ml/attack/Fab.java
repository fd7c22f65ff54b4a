package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The fast adaptive boundary attack, FAB and FAB-T, l∞ or l2 (Croce &amp; Hein, "Minimally distorted adversarial
 * examples with a fast adaptive boundary attack", ICML 2020; FAB-T as in "Reliable evaluation of adversarial
 * robustness with an ensemble of diverse parameter-free attacks", ICML 2020): a minimum-norm attack that walks to
 * the closest point of the decision boundary by projecting onto its linearisation, the part of AutoAttack that
 * looks for small perturbations rather than high loss. Per example, with x the clean point and y its label,
 * <pre>
 *   boundary to class k at the iterate x^i:   f_k(z) ≈ f_k(x^i) + ⟨∇f_k(x^i), z − x^i⟩ = 0,   f_k = z_k − z_y
 *   FAB:    k = argmin_{k≠y} |f_k(x^i)| / ‖∇f_k(x^i)‖_*      (‖·‖_* the dual norm: l1 for l∞, l2 for l2)
 *   FAB-T:  k = t, the target class
 *   δ¹ = proj(x^i), δ² = proj(x)   the smallest steps onto that hyperplane inside [0,1]^d ({@link BoundaryProjection})
 *   α = min(‖δ¹‖ / (‖δ¹‖ + ‖δ²‖), α_max)                     (norms floored at 10⁻⁸)
 *   x^{i+1} = clip_[0,1]((1 − α)(x^i + η δ¹) + α (x + η δ²))
 *   if x^{i+1} is misclassified:  keep it if ‖x^{i+1} − x‖ is the smallest so far;  x^{i+1} ← x + β (x^{i+1} − x)
 * </pre>
 * The extrapolation towards the projection of the clean point (α) keeps the walk close to x, η &gt; 1 overshoots the
 * linearised boundary to cross the true one, and β &lt; 1 steps back towards x after each success, so the iterates
 * oscillate around the boundary ever closer to x. A run starts at x, a restart at a random point at distance
 * min(ρ, ε)/2 of it (ρ the smallest adversarial norm found so far for the example, u ~ U(−1, 1)^d or N(0, I) scaled
 * to that norm, clipped to the box); every point that reaches a restart has ρ &gt; ε, so this is ε/2, as in the
 * reference.
 *
 * <p>As an evaluation attack at radius ε, as in fra31/auto-attack's {@code FABAttack_PT.perturb}: an example counts
 * as broken only when the smallest adversarial found has ‖x' − x‖ ≤ ε; it then keeps that point, and the
 * examples no run breaks keep x (so x' ∈ B_ε(x) ∩ [0,1]^d always). Examples misclassified clean are broken from the
 * start and keep x. FAB runs R times (the first from x, the next ones from random starts), each run on the examples
 * still robust. FAB-T runs R times for each target t_r = the (r+1)-th most likely class of f(x), r = 1 … T with
 * T = min(T_max, K − 1) (the 2nd … 10th classes by default), again on the examples still robust.
 *
 * <p>The reference computes the K logit gradients FAB needs from one forward pass and K backward passes with a
 * retained graph; DJL's PyTorch engine exposes no retained graph, so here each class makes its own forward and
 * backward pass (K passes per iteration, one of each kind for FAB-T), keeping only the gradient of the closest
 * boundary so far, O(B·d) memory rather than the reference's O(B·K·d).
 *
 * <p>Arguments and defaults (AutoAttack's): ε (required), norm (default l∞), iterations N per run (default 100),
 * α_max (default 0.1), η (default 1.05), β (default 0.9), restarts R (default 1), targeted (default no; FAB-T with
 * {@link Builder#optTargeted}), targets T_max (default 9), id (default {@code fab} or {@code fab-t}). Shapes: x
 * {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x. Needs K ≥ 2 classes.
 *
 * <pre>{@code
 * Attack fabT = Fab.builder().setEpsilon(8 / 255.0).optTargeted(true).build();
 * AttackResult result = fabT.run(model, x, y, Seeds.stream(seed, "fab-t"));
 * }</pre>
 */
public final class Fab implements Attack {
    private static final float SMALLEST_STEP = 1e-8f;
    private static final float TINY = 1e-12f;

    private final String id;
    private final Norm norm;
    private final double epsilon;
    private final int steps;
    private final double alphaMax;
    private final double eta;
    private final double beta;
    private final int restarts;
    private final boolean targeted;
    private final int targets;

    private Fab(Builder builder) {
        this.id = builder.id;
        this.norm = builder.norm;
        this.epsilon = builder.epsilon;
        this.steps = builder.steps;
        this.alphaMax = builder.alphaMax;
        this.eta = builder.eta;
        this.beta = builder.beta;
        this.restarts = builder.restarts;
        this.targeted = builder.targeted;
        this.targets = builder.targets;
    }

    /** A builder of FAB: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    /** The norm of the ball. */
    public Norm norm() {
        return norm;
    }

    /** Whether this is FAB-T. */
    public boolean targeted() {
        return targeted;
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
                if (classes < 2) {
                    throw new IllegalArgumentException(id + " needs at least 2 classes, got " + classes);
                }
                ranking = targeted ? logits.argSort(1, false).toLongArray() : null;
                success = Batches.misclassified(logits, labels);
            }
            float[] smallest = new float[batch];
            Arrays.fill(smallest, Float.POSITIVE_INFINITY);
            NDArray adversarial = x.duplicate();
            int passes = targeted ? Math.min(targets, classes - 1) : 1;
            for (int pass = 1; pass <= passes; pass++) {
                for (int restart = 0; restart < restarts; restart++) {
                    int[] rows = Batches.robustRows(success);
                    if (rows.length == 0) {
                        break;
                    }
                    NDArray merged;
                    try (NDManager part = scope.newSubManager()) {
                        NDArray xs = Batches.rows(x, rows);
                        NDArray ys = Batches.rows(labels, rows);
                        xs.attach(part);
                        ys.attach(part);
                        NDArray towards = null;
                        if (targeted) {
                            long[] target = new long[rows.length];
                            for (int k = 0; k < rows.length; k++) {
                                target[k] = ranking[rows[k] * classes + pass];
                            }
                            towards = part.create(target);
                        }
                        float[] radius = null;
                        if (restart > 0) {
                            radius = new float[rows.length];
                            for (int k = 0; k < rows.length; k++) {
                                radius[k] = (float) (Math.min(smallest[rows[k]], epsilon) / 2);
                            }
                        }
                        Found found = attackOnce(model, xs, ys, towards, classes, radius, random, part);
                        boolean[] take = new boolean[rows.length];
                        for (int k = 0; k < rows.length; k++) {
                            int i = rows[k];
                            smallest[i] = Math.min(smallest[i], found.size()[k]);
                            take[k] = found.size()[k] <= epsilon;
                            success[i] |= take[k];
                        }
                        NDArray current = Batches.rows(adversarial, rows);
                        current.attach(part);
                        NDArray chosen = Batches.select(take, found.adversarial(), current);
                        merged = Batches.scatter(adversarial, chosen, rows);
                        merged.attach(scope);
                    }
                    adversarial.close();
                    adversarial = merged;
                }
            }
            adversarial.attach(owner);
            return new AttackResult(adversarial, success);
        }
    }

    /**
     * What one run found per example: the misclassified iterate closest to x (x where there was none) and its
     * distance (+∞ where there was none).
     */
    private record Found(NDArray adversarial, float[] size) {
    }

    /** The boundary an iterate is projected onto, f(z) ≈ value + ⟨gradient, z − x^i⟩ = 0. */
    private record Boundary(float[] value, NDArray gradient) {
    }

    /**
     * One run of N iterations on {@code x} (in {@code scope}, as are the labels and targets), from x or, with
     * {@code radius}, from a random point at that distance per example.
     */
    private Found attackOnce(Classifier model, NDArray x, NDArray labels, NDArray towards, int classes,
                             float[] radius, SplittableRandom random, NDManager scope) {
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        long features = shape.size() / batch;
        long[] y = labels.toLongArray();
        NDArray flatX = x.reshape(batch, features);
        NDArray current;
        try (NDManager start = scope.newSubManager()) {
            if (radius == null) {
                current = x.duplicate();
            } else {
                NDArray step = Batches.randomDirection(norm, shape, random, start)
                        .mul(Batches.perExample(radius, x, start));
                current = step.add(x).clip(0, 1);
            }
            current.attach(scope);
        }
        NDArray best = x.duplicate();
        float[] smallest = new float[batch];
        Arrays.fill(smallest, Float.POSITIVE_INFINITY);
        for (int i = 0; i < steps; i++) {
            NDArray[] previous = {current, best};
            try (NDManager iteration = scope.newSubManager()) {
                iteration.tempAttachAll(previous);
                Boundary boundary = towards != null
                        ? boundary(model, current, labels, towards, iteration)
                        : closestBoundary(model, current, labels, y, classes, iteration);
                NDArray normal = boundary.gradient().reshape(batch, features);
                NDArray flatCurrent = current.reshape(batch, features);
                NDArray offset = normal.mul(flatCurrent).sum(new int[] {1}).sub(iteration.create(boundary.value()));
                NDArray projected = BoundaryProjection.project(norm,
                        NDArrays.concat(new NDList(flatCurrent, flatX)), NDArrays.concat(new NDList(normal, normal)),
                        NDArrays.concat(new NDList(offset, offset)));
                NDArray lengths = norm.length(projected).maximum(SMALLEST_STEP);
                NDArray fromCurrent = projected.get("0:" + batch);
                NDArray fromClean = projected.get(batch + ":");
                NDArray lengthFromCurrent = lengths.get("0:" + batch);
                NDArray alpha = lengthFromCurrent.div(lengthFromCurrent.add(lengths.get(batch + ":")))
                        .clip(0, alphaMax);
                NDArray moved = flatCurrent.add(fromCurrent.mul(eta)).mul(alpha.neg().add(1))
                        .add(fromClean.mul(eta).add(flatX).mul(alpha)).clip(0, 1).reshape(shape);

                boolean[] wrong = Batches.misclassified(model, moved, labels);
                float[] size = norm.length(moved.sub(x)).toFloatArray();
                boolean[] closer = new boolean[batch];
                for (int k = 0; k < batch; k++) {
                    closer[k] = wrong[k] && size[k] < smallest[k];
                    if (closer[k]) {
                        smallest[k] = size[k];
                    }
                }
                NDArray nextBest = Batches.select(closer, moved, best);
                NDArray backward = moved.sub(x).mul(beta).add(x);
                NDArray nextCurrent = Batches.select(wrong, backward, moved);
                nextBest.attach(scope);
                nextCurrent.attach(scope);
                current = nextCurrent;
                best = nextBest;
            }
            for (NDArray replaced : previous) {
                replaced.close();
            }
        }
        current.close();
        return new Found(best, smallest);
    }

    /** FAB-T's boundary: f = z_t − z_y for the target t of each example. */
    private static Boundary boundary(Classifier model, NDArray point, NDArray labels, NDArray towards,
                                     NDManager into) {
        Batches.Gradient at = Batches.gradient(model, point, labels, LogitLoss.logitDifference(towards), into);
        return new Boundary(at.loss(), at.gradient());
    }

    /**
     * FAB's boundary: of the K − 1 boundaries f_k = z_k − z_y, k ≠ y, per example the one whose linearisation is
     * closest, |f_k| / ‖∇f_k‖_*; one forward and backward pass per class, only the closest gradient kept.
     */
    private Boundary closestBoundary(Classifier model, NDArray point, NDArray labels, long[] y, int classes,
                                     NDManager into) {
        int batch = y.length;
        float[] value = new float[batch];
        float[] distance = new float[batch];
        Arrays.fill(distance, Float.POSITIVE_INFINITY);
        NDArray gradient = into.zeros(point.getShape());
        for (int k = 0; k < classes; k++) {
            try (NDManager perClass = into.newSubManager()) {
                long[] classK = new long[batch];
                Arrays.fill(classK, k);
                NDArray towards = perClass.create(classK);
                Boundary candidate = boundary(model, point, labels, towards, perClass);
                float[] dual = norm.dualLength(candidate.gradient()).toFloatArray();
                boolean[] closer = new boolean[batch];
                for (int i = 0; i < batch; i++) {
                    float d = Math.abs(candidate.value()[i]) / (dual[i] + TINY);
                    closer[i] = y[i] != k && d < distance[i];
                    if (closer[i]) {
                        distance[i] = d;
                        value[i] = candidate.value()[i];
                    }
                }
                NDArray next = Batches.select(closer, candidate.gradient(), gradient);
                next.attach(into);
                gradient.close();
                gradient = next;
            }
        }
        return new Boundary(value, gradient);
    }

    /** Builds a {@link Fab}. */
    public static final class Builder {
        private String id;
        private Norm norm = Norm.LINF;
        private double epsilon = Double.NaN;
        private int steps = 100;
        private double alphaMax = 0.1;
        private double eta = 1.05;
        private double beta = 0.9;
        private int restarts = 1;
        private boolean targeted;
        private int targets = 9;

        private Builder() {
        }

        /** Radius ε of the ball: in (0, 1] for l∞, positive for l2. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The norm of the ball (default l∞). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** Iterations N ≥ 1 per run (default 100). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The largest weight α_max ∈ [0, 1] of the step from the clean point (default 0.1). */
        public Builder optAlphaMax(double alphaMax) {
            this.alphaMax = alphaMax;
            return this;
        }

        /** The overshoot η ≥ 1 of each projection (default 1.05). */
        public Builder optEta(double eta) {
            this.eta = eta;
            return this;
        }

        /** The backward step β ∈ (0, 1] towards x after a success (default 0.9). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** Runs R ≥ 1 (per target for FAB-T), the first from x, the others from random starts (default 1). */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /** FAB-T: one run per target class instead of the closest boundary (default false). */
        public Builder optTargeted(boolean targeted) {
            this.targeted = targeted;
            return this;
        }

        /** FAB-T's target classes T ≥ 1, the 2nd … (T+1)-th most likely (default 9; at most K − 1 are used). */
        public Builder optTargets(int targets) {
            this.targets = targets;
            return this;
        }

        /** The id (default {@code fab} or {@code fab-t}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @throws IllegalArgumentException on a bad ε, N, R or T &lt; 1, α_max outside [0, 1], η &lt; 1 or β outside
         *                                  (0, 1]
         */
        public Fab build() {
            Arguments.epsilon(norm, epsilon);
            Arguments.atLeast("steps", steps, 1);
            Arguments.atLeast("restarts", restarts, 1);
            Arguments.atLeast("targets", targets, 1);
            if (!(alphaMax >= 0 && alphaMax <= 1)) {
                throw new IllegalArgumentException("alphaMax must be in [0, 1], got " + alphaMax);
            }
            if (!(eta >= 1) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("eta must be a number ≥ 1, got " + eta);
            }
            if (!(beta > 0 && beta <= 1)) {
                throw new IllegalArgumentException("beta must be in (0, 1], got " + beta);
            }
            if (id == null) {
                id = targeted ? "fab-t" : "fab";
            }
            return new Fab(this);
        }
    }
}
