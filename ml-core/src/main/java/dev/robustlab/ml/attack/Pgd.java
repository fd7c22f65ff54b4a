package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Projected gradient descent, l∞ or l2 (Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 * Attacks", ICLR 2018): maximises a loss ℓ(f(x'), y) over x' ∈ B_ε(x) ∩ [0,1]^d by steepest ascent,
 * <pre>
 *   x⁰ = Π(x + δ),  δ random in B_ε(0)                (random start; x⁰ = x without it)
 *   x^{t+1} = Π(x^t + α · d(∇_{x^t} ℓ(f(x^t), y))),   t = 0 … K−1
 *   l∞:  d(g) = sign g,      Π(v) = min(max(v, max(x − ε, 0)), min(x + ε, 1)),   δ ~ U(−ε, ε)^d
 *   l2:  d(g) = g / ‖g‖₂,    Π(v) = clip_[0,1](x + (v − x) · min(1, ε/‖v − x‖₂)),  δ = r·ε·u/‖u‖₂, u ~ N(0, I), r ~ U(0, 1)
 * </pre>
 * (norms per example). The l2 Π is torchattacks' and auto-attack's: rescale onto the ball, then clip to the box;
 * its result lies in B_ε(x) ∩ [0,1]^d, though it is not always the Euclidean projection onto that intersection.
 * With {@link LogitLoss#crossEntropy()} this is PGD-K; with {@link LogitLoss#cwMargin()} it is CW∞ as the PIAT and
 * ST papers evaluate it (PGD on max_{k≠y} z_k − z_y). One run returns its last iterate, as in those papers' code.
 * With R restarts (each from a new random start) the per-example worst case is kept: the first misclassified
 * final iterate, otherwise the one of highest loss.
 *
 * <p>Arguments and defaults: ε (required), step size α (required; the papers use ε/4, 2/255 at ε = 8/255),
 * steps K (default 10, the training attack; evaluation uses 20), norm (default l∞), loss (default cross-entropy),
 * random start (default on), restarts R (default 1), id (default {@code pgd-K}; the norm is the threat model's).
 * Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack pgd20 = Pgd.builder().setEpsilon(0.1).setStepSize(0.025).optSteps(20).build();
 * NDArray xAdv = pgd20.perturb(model, x, y, Seeds.stream(seed, "attack"));
 * Attack pgdL2 = Pgd.builder().setEpsilon(0.5).setStepSize(0.1).optNorm(Norm.L2).optRestarts(5).build();
 * AttackResult result = pgdL2.run(model, x, y, Seeds.stream(seed, "attack"));
 * }</pre>
 */
public final class Pgd implements Attack {
    private final String id;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final LogitLoss loss;
    private final boolean randomStart;
    private final Norm norm;
    private final int restarts;

    private Pgd(Builder builder) {
        this.id = builder.id;
        this.epsilon = builder.epsilon;
        this.stepSize = builder.stepSize;
        this.steps = builder.steps;
        this.loss = builder.loss;
        this.randomStart = builder.randomStart;
        this.norm = builder.norm;
        this.restarts = builder.restarts;
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

    /** The norm of the ball. */
    public Norm norm() {
        return norm;
    }

    /** R. */
    public int restarts() {
        return restarts;
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        if (restarts > 1) {
            return run(model, x, labels, random).adversarial();
        }
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray adversarial = attackOnce(model, x, labels, bounds(x, scope), random, scope);
            adversarial.attach(owner);
            return adversarial;
        }
    }

    @Override
    public AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray[] bounds = bounds(x, scope);
            Outcome worst = outcome(model, x, labels, bounds, random, scope);
            for (int r = 1; r < restarts; r++) {
                worst = worst.orWorse(outcome(model, x, labels, bounds, random, scope));
            }
            worst.adversarial().attach(owner);
            return new AttackResult(worst.adversarial(), worst.success());
        }
    }

    /**
     * One run of K steps from a given start instead of the random one, for attacks that start elsewhere (TRADES
     * starts from x + 0.001·N(0, I)): x⁰ = Π(start), then the update above; the last iterate. The random-start flag
     * and restarts do not apply.
     *
     * @param start a point near x, shape of x; it need not lie in B_ε(x) ∩ [0,1]^d (it is projected first)
     * @return x' of the shape of {@code x}, in {@code x}'s manager, without gradient
     */
    public NDArray perturbFrom(Classifier model, NDArray x, NDArray start, NDArray labels) {
        return fromStart(model, x, start, labels, null);
    }

    /**
     * {@link #perturbFrom(Classifier, NDArray, NDArray, NDArray)} in a ball of its own radius ε_i per example
     * instead of ε (CFA's class-wise radii), l∞ only: Π_i(v) = min(max(v, max(x_i − ε_i, 0)), min(x_i + ε_i, 1)),
     * start included. A radius 0 keeps x_i; a radius above 1 leaves the box [0,1]^d as the only bound.
     *
     * @param epsilon ε_i ≥ 0 and finite, one per example of x
     * @throws IllegalArgumentException on a radius that is negative, not finite or not one per example, or an
     *                                  l2 PGD
     */
    public NDArray perturbFrom(Classifier model, NDArray x, NDArray start, NDArray labels, float[] epsilon) {
        Objects.requireNonNull(epsilon, "epsilon");
        if (norm != Norm.LINF) {
            throw new IllegalArgumentException("a radius per example needs the l∞ norm, this PGD is " + norm.id());
        }
        long batch = x.getShape().get(0);
        if (epsilon.length != batch) {
            throw new IllegalArgumentException("epsilon has " + epsilon.length + " radii for a batch of " + batch);
        }
        for (float radius : epsilon) {
            if (!(radius >= 0) || Float.isInfinite(radius)) {
                throw new IllegalArgumentException("epsilon must be a number ≥ 0 per example, got " + radius);
            }
        }
        return fromStart(model, x, start, labels, epsilon);
    }

    /** x⁰ = Π(start), then K steps; Π in B_ε(x), or in B_{ε_i}(x_i) per example when {@code radii} is given. */
    private NDArray fromStart(Classifier model, NDArray x, NDArray start, NDArray labels, float[] radii) {
        if (!start.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException("start must have the shape of x " + x.getShape() + ", got "
                    + start.getShape());
        }
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray[] bounds = bounds(x, radii, scope);
            NDArray adversarial;
            try (NDManager first = scope.newSubManager()) {
                NDArray point = start.stopGradient();
                point.attach(first);
                adversarial = bounds != null ? point.maximum(bounds[0]).minimum(bounds[1])
                        : norm.project(point, x, epsilon);
                adversarial.attach(scope);
            }
            adversarial = iterate(model, x, adversarial, labels, bounds, scope);
            adversarial.attach(owner);
            return adversarial;
        }
    }

    /** l∞: the box max(x − ε, 0) … min(x + ε, 1) of the projection; l2: none. In {@code scope}. */
    private NDArray[] bounds(NDArray x, NDManager scope) {
        return bounds(x, null, scope);
    }

    /**
     * l∞: the box max(x_i − ε_i, 0) … min(x_i + ε_i, 1) of the projection, ε_i = ε when {@code radii} is null and
     * the given radius per example otherwise; l2: none. In {@code scope}.
     */
    private NDArray[] bounds(NDArray x, float[] radii, NDManager scope) {
        if (norm != Norm.LINF) {
            return null;
        }
        try (NDManager temporaries = scope.newSubManager()) {
            NDArray radius = radii == null ? temporaries.create(epsilon)
                    : Batches.perExample(radii, x, temporaries);
            radius = radius.toType(x.getDataType(), false);
            NDArray lower = x.sub(radius).maximum(0f);
            NDArray upper = x.add(radius).minimum(1f);
            lower.attach(scope);
            upper.attach(scope);
            return new NDArray[] {lower, upper};
        }
    }

    /** One run's last iterate (in {@code scope}), whether it fools the model and its loss. */
    private Outcome outcome(Classifier model, NDArray x, NDArray labels, NDArray[] bounds, SplittableRandom random,
                            NDManager scope) {
        NDArray adversarial = attackOnce(model, x, labels, bounds, random, scope);
        Batches.Values values = Batches.values(model, adversarial, labels, loss);
        return new Outcome(adversarial, values.misclassified(), values.loss());
    }

    /** One run from a (random) start: K steps; the last iterate, in {@code scope}. */
    private NDArray attackOnce(Classifier model, NDArray x, NDArray labels, NDArray[] bounds,
                               SplittableRandom random, NDManager scope) {
        NDArray adversarial;
        // x is already temporarily attached to scope: attaching it again here would make scope close it
        try (NDManager start = scope.newSubManager()) {
            if (!randomStart) {
                adversarial = x.duplicate();
            } else if (norm == Norm.LINF) {
                adversarial = uniformNoise(start, x, random).addi(x).maximum(bounds[0]).minimum(bounds[1]);
            } else {
                adversarial = norm.uniformStart(x, epsilon, random, start);
            }
            adversarial.attach(scope);
        }
        return iterate(model, x, adversarial, labels, bounds, scope);
    }

    /** K steps from {@code start} (in {@code scope}, closed on the way); the last iterate, in {@code scope}. */
    private NDArray iterate(Classifier model, NDArray x, NDArray start, NDArray labels, NDArray[] bounds,
                            NDManager scope) {
        NDArray adversarial = start;
        for (int t = 0; t < steps; t++) {
            NDArray next = ascend(model, x, adversarial, labels, bounds, scope);
            adversarial.close();
            adversarial = next;
        }
        return adversarial;
    }

    /** One step x^{t+1} = Π(x^t + α·sign ∇ℓ); the result lives in {@code scope}, the step's temporaries do not. */
    private NDArray ascend(Classifier model, NDArray x, NDArray current, NDArray labels, NDArray[] bounds,
                           NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray gradient = Batches.lossGradient(model, current, labels, loss, step);
            NDArray moved = norm.steepestAscent(gradient).muli(stepSize).addi(current);
            NDArray next = bounds != null ? moved.maximum(bounds[0]).minimum(bounds[1])
                    : norm.project(moved, x, epsilon);
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
        private Norm norm = Norm.LINF;
        private int restarts = 1;

        private Builder() {
        }

        /** Radius ε of the ball, in (0, 1] (l2 radii above 1 are allowed). */
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

        /** The norm of the ball (default l∞). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** Restarts R ≥ 1, each from a new random start; the per-example worst case is kept (default 1). */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /** The id reported by {@link Pgd#id()} (default {@code pgd-K}). */
        public Builder optId(String id) {
            this.id = id;
            return this;
        }

        /** @throws IllegalArgumentException on an ε outside (0, 1], a non-positive step size or negative steps */
        public Pgd build() {
            Arguments.epsilon(norm, epsilon);
            Arguments.positive("stepSize", stepSize);
            Arguments.atLeast("steps", steps, 0);
            Arguments.atLeast("restarts", restarts, 1);
            if (id == null) {
                id = "pgd-" + steps;
            }
            return new Pgd(this);
        }
    }
}
