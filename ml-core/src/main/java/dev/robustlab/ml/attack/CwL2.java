package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The Carlini–Wagner l2 attack, CW-l2 (Carlini &amp; Wagner, "Towards Evaluating the Robustness of Neural
 * Networks", IEEE S&amp;P 2017, section V.A): a minimum-norm optimisation attack. The box constraint disappears in
 * tanh space, x'(w) = (tanh w + 1)/2 ∈ (0, 1)^d, and per example it minimises with Adam
 * <pre>
 *   L(w) = ‖x'(w) − x‖₂² + c · f(x'(w)),   f(x') = max(z_y(x') − max_{k≠y} z_k(x'), −κ)
 *   w⁰ = atanh((2x − 1)(1 − 10⁻⁶))                         (x' starts at x, inside the open box)
 * </pre>
 * from w⁰ for N Adam steps (learning rate lr, β₁ = 0.9, β₂ = 0.999, ε̂ = 10⁻⁸, bias-corrected), recording every
 * iterate with z_y + κ &lt; max_{k≠y} z_k as a candidate and keeping, per example, the closest one. A binary search
 * over the constant c, per example, runs S such optimisations (each from w⁰ with a fresh Adam state): starting at
 * c₀, a constant that found an adversarial becomes the new upper bound, one that did not the new lower bound, and
 * c moves to the middle of the bounds, or ×10 while no upper bound is known. As in the authors' code
 * (nn_robust_attacks), each optimisation stops early when, checked every ⌈N/10⌉ steps, the batch's total loss
 * fell by less than 0.01% since the last check.
 *
 * <p>As an evaluation attack at radius ε: an example counts as broken only when the closest adversarial found has
 * ‖x' − x‖₂ ≤ ε, and then that point is returned; otherwise x is (so x' ∈ B_ε(x) ∩ [0,1]^d always). Examples
 * misclassified clean are found at once, at a distance of the order of 10⁻⁶.
 *
 * <p>Arguments and defaults: ε (required), binary-search steps S (default 9, the authors'), Adam steps N per
 * search step (default 1000, cleverhans' budget: the authors' 10 000 with early stopping is the same attack at ten
 * times the cost), learning rate lr (default 0.01, the authors'), initial constant c₀ (default 10⁻³, the authors':
 * with 9 steps the search covers c₀ … 10⁵ c₀ before it starts to bisect), confidence κ (default 0: any
 * misclassification), early stop (default on), id (default {@code cw-l2}). l2 only. Shapes: x {@code (B, ...)}
 * FLOAT32 in [0,1], labels {@code (B)} INT64, result like x. No randomness.
 *
 * <pre>{@code
 * Attack cwL2 = CwL2.builder().setEpsilon(0.5).build();
 * AttackResult result = cwL2.run(model, x, y, Seeds.stream(seed, "cw-l2"));
 * }</pre>
 */
public final class CwL2 implements Attack {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    /** An upper bound of c that means "none found yet". */
    private static final double NO_UPPER_BOUND = 1e10;
    private static final double SHRINK_INTO_OPEN_BOX = 1 - 1e-6;

    private final String id;
    private final double epsilon;
    private final int binarySteps;
    private final int steps;
    private final double learningRate;
    private final double initialConstant;
    private final double confidence;
    private final boolean abortEarly;

    private CwL2(Builder builder) {
        this.id = builder.id;
        this.epsilon = builder.epsilon;
        this.binarySteps = builder.binarySteps;
        this.steps = builder.steps;
        this.learningRate = builder.learningRate;
        this.initialConstant = builder.initialConstant;
        this.confidence = builder.confidence;
        this.abortEarly = builder.abortEarly;
    }

    /** A builder of CW-l2: {@code set*} for what is required, {@code opt*} for what has a default. */
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
            NDArray start;
            try (NDManager temporaries = scope.newSubManager()) {
                NDArray clean = x.stopGradient();
                clean.attach(temporaries);
                // atanh u = ½ ln((1 + u)/(1 − u)); the engine has no atanh
                NDArray u = clean.mul(2).sub(1).mul(SHRINK_INTO_OPEN_BOX);
                start = u.add(1).div(u.neg().add(1)).log().mul(0.5);
                start.attach(scope);
            }
            double[] constant = new double[batch];
            double[] lower = new double[batch];
            double[] upper = new double[batch];
            Arrays.fill(constant, initialConstant);
            Arrays.fill(upper, NO_UPPER_BOUND);
            float[] smallest = new float[batch];
            Arrays.fill(smallest, Float.POSITIVE_INFINITY);
            NDArray closest = x.duplicate();
            for (int search = 0; search < binarySteps; search++) {
                boolean[] found = new boolean[batch];
                closest = minimise(model, x, labels, start, constant, found, smallest, closest, scope);
                for (int i = 0; i < batch; i++) {
                    if (found[i]) {
                        upper[i] = Math.min(upper[i], constant[i]);
                    } else {
                        lower[i] = Math.max(lower[i], constant[i]);
                    }
                    constant[i] = upper[i] < NO_UPPER_BOUND / 10 ? (lower[i] + upper[i]) / 2 : constant[i] * 10;
                }
            }
            boolean[] success = new boolean[batch];
            for (int i = 0; i < batch; i++) {
                success[i] = smallest[i] <= epsilon;
            }
            NDArray adversarial = Batches.select(success, closest, x);
            adversarial.attach(owner);
            return new AttackResult(adversarial, success);
        }
    }

    /**
     * One optimisation at the constants c: N Adam steps on w from w⁰ (fewer when it stops early). Sets
     * {@code found[i]} when an iterate was adversarial, lowers {@code smallest} where one was closer than the
     * closest so far, and returns the closest points (in {@code scope}; {@code closest} is closed).
     */
    private NDArray minimise(Classifier model, NDArray x, NDArray labels, NDArray start, double[] constant,
                             boolean[] found, float[] smallest, NDArray closest, NDManager scope) {
        int batch = found.length;
        NDArray w = start.duplicate();
        NDArray firstMoment = scope.zeros(start.getShape());
        NDArray secondMoment = scope.zeros(start.getShape());
        int checkEvery = Math.max(steps / 10, 1);
        double lastCheck = Double.POSITIVE_INFINITY;
        for (int t = 1; t <= steps; t++) {
            NDArray[] state = {w, firstMoment, secondMoment, closest};
            double total = 0;
            try (NDManager step = scope.newSubManager()) {
                step.tempAttachAll(state);
                NDArray squashed = w.tanh();
                NDArray point = squashed.add(1).mul(0.5);
                // at.loss() = max_{k≠y} z_k − z_y = −(z_y − max_{k≠y} z_k)
                Batches.Gradient at = Batches.gradient(model, point, labels, LogitLoss.cwMargin(), step);
                NDArray delta = point.sub(x);
                float[] squared = delta.square().sum(Batches.featureAxes(delta)).toFloatArray();
                float[] weight = new float[batch];
                boolean[] closer = new boolean[batch];
                for (int i = 0; i < batch; i++) {
                    double margin = -at.loss()[i];
                    total += squared[i] + constant[i] * Math.max(margin, -confidence);
                    // ∂(c · f)/∂(max_{k≠y} z_k − z_y) where the max(·, −κ) is not flat
                    weight[i] = margin > -confidence ? (float) -constant[i] : 0f;
                    if (margin < -confidence) {
                        found[i] = true;
                        float size = (float) Math.sqrt(squared[i]);
                        closer[i] = size < smallest[i];
                        if (closer[i]) {
                            smallest[i] = size;
                        }
                    }
                }
                NDArray gradient = at.gradient().mul(Batches.perExample(weight, x, step)).add(delta.mul(2))
                        .mul(squashed.square().neg().add(1).mul(0.5));
                NDArray nextFirst = firstMoment.mul(BETA1).add(gradient.mul(1 - BETA1));
                NDArray nextSecond = secondMoment.mul(BETA2).add(gradient.square().mul(1 - BETA2));
                NDArray update = nextFirst.div(1 - Math.pow(BETA1, t)).mul(learningRate)
                        .div(nextSecond.div(1 - Math.pow(BETA2, t)).sqrt().add(ADAM_EPSILON));
                NDArray nextW = w.sub(update);
                NDArray nextClosest = Batches.select(closer, point, closest);
                for (NDArray kept : new NDArray[] {nextW, nextFirst, nextSecond, nextClosest}) {
                    kept.attach(scope);
                }
                w = nextW;
                firstMoment = nextFirst;
                secondMoment = nextSecond;
                closest = nextClosest;
            }
            for (NDArray replaced : state) {
                replaced.close();
            }
            if (abortEarly && t % checkEvery == 0) {
                if (total > lastCheck * 0.9999) {
                    break;
                }
                lastCheck = total;
            }
        }
        w.close();
        firstMoment.close();
        secondMoment.close();
        return closest;
    }

    /** Builds a {@link CwL2}. */
    public static final class Builder {
        private String id = "cw-l2";
        private double epsilon = Double.NaN;
        private int binarySteps = 9;
        private int steps = 1000;
        private double learningRate = 0.01;
        private double initialConstant = 1e-3;
        private double confidence;
        private boolean abortEarly = true;

        private Builder() {
        }

        /** Radius ε &gt; 0 of the l2 ball an adversarial must lie in to count. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Binary-search steps S ≥ 1 over c (default 9). */
        public Builder optBinarySteps(int binarySteps) {
            this.binarySteps = binarySteps;
            return this;
        }

        /** Adam steps N ≥ 1 per binary-search step (default 1000). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Adam's learning rate lr &gt; 0 (default 0.01). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** The first constant c₀ &gt; 0 of the binary search (default 10⁻³). */
        public Builder optInitialConstant(double initialConstant) {
            this.initialConstant = initialConstant;
            return this;
        }

        /** The confidence κ ≥ 0 an adversarial's margin must exceed (default 0). */
        public Builder optConfidence(double confidence) {
            this.confidence = confidence;
            return this;
        }

        /** Whether an optimisation stops once its loss no longer falls (default true). */
        public Builder optAbortEarly(boolean abortEarly) {
            this.abortEarly = abortEarly;
            return this;
        }

        /** The id (default {@code cw-l2}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on a bad ε, S or N &lt; 1, lr or c₀ ≤ 0, κ &lt; 0 */
        public CwL2 build() {
            Arguments.epsilon(Norm.L2, epsilon);
            Arguments.atLeast("binarySteps", binarySteps, 1);
            Arguments.atLeast("steps", steps, 1);
            Arguments.positive("learningRate", learningRate);
            Arguments.positive("initialConstant", initialConstant);
            if (!(confidence >= 0) || Double.isInfinite(confidence)) {
                throw new IllegalArgumentException("confidence must be a number ≥ 0, got " + confidence);
            }
            return new CwL2(this);
        }
    }
}
