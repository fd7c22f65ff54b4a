package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Auto-PGD, APGD, l∞ or l2 (Croce &amp; Hein, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", ICML 2020, Algorithm 1): PGD with momentum whose step size needs no tuning, it
 * halves itself at checkpoints when progress stalls. Per example,
 * <pre>
 *   x⁰ = clip_[0,1](x + ε · u/‖u‖),   u ~ U(−1, 1)^d (l∞) or N(0, I) (l2);   η⁰ = 2ε
 *   z^{k+1} = Π(x^k + η^k · d(∇ℓ(x^k)))                      d = sign (l∞), g/‖g‖₂ (l2); Π as in {@link Pgd}
 *   x^{k+1} = Π(x^k + α · (z^{k+1} − x^k) + (1 − α) · (x^k − x^{k−1})),   α = 0.75 (α = 1 at k = 0)
 *   x_max, ℓ_max: the point of highest loss so far
 * </pre>
 * At each checkpoint w_j (see {@link #checkpoints}) the step size of an example is halved, and it restarts from
 * x_max with the gradient there, if
 * <ol>
 * <li>the loss rose in at most ρ = 75% of the steps since the previous checkpoint,
 *     Σ_{k=w_{j−1}}^{w_j − 1} 1[ℓ(x^{k+1}) &gt; ℓ(x^k)] ≤ ρ · (w_j − w_{j−1}), or</li>
 * <li>its step size was not halved at the previous checkpoint and ℓ_max did not improve since then.</li>
 * </ol>
 * The result per example is the last misclassified iterate if there is one (success), otherwise x_max. With R
 * restarts (new random starts) the per-example worst case is kept. This follows fra31/auto-attack's
 * {@code APGDAttack}, except that the first checkpoint's count compares the first step with the starting point (the
 * reference compares it with 0).
 *
 * <p>Arguments and defaults: ε (required), norm (default l∞), iterations N (default 100), loss (default
 * cross-entropy: {@code apgd-ce}; {@link Builder#optDlr()} gives {@code apgd-dlr}), ρ (default 0.75), restarts R
 * (default 1), EOT draws E per gradient (default 1; for randomised models), id. Shapes: x {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack apgdCe = Apgd.builder().setEpsilon(8 / 255.0).build();
 * AttackResult result = apgdCe.run(model, x, y, Seeds.stream(seed, "apgd-ce"));
 * }</pre>
 */
public final class Apgd implements Attack {
    /** Weight α of the new step against the last one. */
    static final double MOMENTUM = 0.75;

    private final String id;
    private final Norm norm;
    private final double epsilon;
    private final int steps;
    private final LogitLoss loss;
    private final double rho;
    private final int restarts;
    private final int eot;

    private Apgd(Builder builder) {
        this.id = builder.id;
        this.norm = builder.norm;
        this.epsilon = builder.epsilon;
        this.steps = builder.steps;
        this.loss = builder.loss;
        this.rho = builder.rho;
        this.restarts = builder.restarts;
        this.eot = builder.eot;
    }

    /** A builder of APGD-CE: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The checkpoints w_0 = 0 &lt; w_1 &lt; … ≤ N of N iterations: after w_j iterations the step size is checked.
     * The paper's p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06) with w_j = ⌈p_j N⌉ is
     * computed as the reference code does, in whole iterations: the first interval ⌊0.22 N⌋, each next one
     * ⌊0.03 N⌋ shorter but at least ⌊0.06 N⌋ (each at least 1). Both give the same checkpoints when N is a multiple
     * of 100; for 100 iterations: 0, 22, 41, 57, 70, 80, 87, 93, 99.
     */
    public static int[] checkpoints(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be ≥ 1, got " + iterations);
        }
        int interval = Math.max(22 * iterations / 100, 1);
        int shrink = Math.max(3 * iterations / 100, 1);
        int shortest = Math.max(6 * iterations / 100, 1);
        List<Integer> points = new ArrayList<>(List.of(0));
        for (int position = interval; position <= iterations; position += interval) {
            points.add(position);
            interval = Math.max(interval - shrink, shortest);
        }
        return points.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String id() {
        return id;
    }

    /** The norm of the ball. */
    public Norm norm() {
        return norm;
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
            Outcome worst = attackOnce(model, x, labels, loss, random, scope);
            for (int r = 1; r < restarts; r++) {
                Outcome candidate = attackOnce(model, x, labels, loss, random, scope);
                worst = worst.orWorse(candidate);
            }
            worst.adversarial().attach(owner);
            return new AttackResult(worst.adversarial(), worst.success());
        }
    }

    /**
     * One run of Algorithm 1 on {@code loss}, which may differ from this attack's (APGD-T passes its targeted
     * DLR). {@code x} and {@code labels} must not be temporarily attached to a sub-manager of {@code scope}.
     *
     * @return the adversarial examples (in {@code scope}), per-example success and highest loss
     */
    Outcome attackOnce(Classifier model, NDArray x, NDArray labels, LogitLoss loss, SplittableRandom random,
                       NDManager scope) {
        int batch = Math.toIntExact(x.getShape().get(0));
        int[] checkpoints = checkpoints(steps);
        NDArray xAdv;
        try (NDManager start = scope.newSubManager()) {
            xAdv = Batches.randomDirection(norm, x.getShape(), random, start).muli(epsilon).addi(x).clip(0, 1);
            xAdv.attach(scope);
        }
        Batches.Gradient first = gradient(model, xAdv, labels, loss, scope);
        NDArray grad = first.gradient();
        NDArray xAdvOld = xAdv.duplicate();
        NDArray xBest = xAdv.duplicate();
        NDArray gradBest = grad.duplicate();
        NDArray xBestAdv = xAdv.duplicate();
        boolean[] success = first.misclassified().clone();
        float[] lossBest = first.loss().clone();
        float[][] lossAfter = new float[steps + 1][];
        lossAfter[0] = first.loss();
        float[] eta = new float[batch];
        Arrays.fill(eta, (float) (2 * epsilon));
        boolean[] halvedLastCheck = new boolean[batch];
        Arrays.fill(halvedLastCheck, true);
        float[] lossBestLastCheck = lossBest.clone();
        int nextCheck = 1;

        for (int k = 0; k < steps; k++) {
            NDArray[] previous = {xAdv, xAdvOld, grad, xBest, gradBest, xBestAdv};
            try (NDManager iteration = scope.newSubManager()) {
                iteration.tempAttachAll(previous);
                double alpha = k > 0 ? MOMENTUM : 1.0;
                NDArray stepSize = Batches.perExample(eta, x, iteration);
                NDArray z = norm.project(norm.steepestAscent(grad).mul(stepSize).addi(xAdv), x, epsilon);
                NDArray moved = norm.project(z.sub(xAdv).muli(alpha)
                        .addi(xAdv.sub(xAdvOld).muli(1 - alpha)).addi(xAdv), x, epsilon);

                Batches.Gradient at = gradient(model, moved, labels, loss, iteration);
                boolean[] improved = new boolean[batch];
                for (int i = 0; i < batch; i++) {
                    success[i] |= at.misclassified()[i];
                    improved[i] = at.loss()[i] > lossBest[i];
                    if (improved[i]) {
                        lossBest[i] = at.loss()[i];
                    }
                }
                lossAfter[k + 1] = at.loss();
                NDArray nextXBestAdv = Batches.select(at.misclassified(), moved, xBestAdv);
                NDArray nextXBest = Batches.select(improved, moved, xBest);
                NDArray nextGradBest = Batches.select(improved, at.gradient(), gradBest);
                NDArray nextXAdv = moved;
                NDArray nextGrad = at.gradient();

                if (nextCheck < checkpoints.length && k + 1 == checkpoints[nextCheck]) {
                    int interval = checkpoints[nextCheck] - checkpoints[nextCheck - 1];
                    boolean[] halve = new boolean[batch];
                    boolean any = false;
                    for (int i = 0; i < batch; i++) {
                        halve[i] = halves(increases(lossAfter, i, k + 1 - interval, k + 1), interval, rho,
                                halvedLastCheck[i], lossBestLastCheck[i], lossBest[i]);
                        halvedLastCheck[i] = halve[i];
                        lossBestLastCheck[i] = lossBest[i];
                        if (halve[i]) {
                            eta[i] /= 2;
                            any = true;
                        }
                    }
                    if (any) {
                        nextXAdv = Batches.select(halve, nextXBest, moved);
                        nextGrad = Batches.select(halve, nextGradBest, at.gradient());
                    }
                    nextCheck++;
                }
                xAdv = nextXAdv;
                xAdvOld = previous[0].duplicate();
                grad = nextGrad;
                xBest = nextXBest;
                gradBest = nextGradBest;
                xBestAdv = nextXBestAdv;
                for (NDArray kept : new NDArray[] {xAdv, xAdvOld, grad, xBest, gradBest, xBestAdv}) {
                    kept.attach(scope);
                }
            }
            for (NDArray replaced : previous) {
                replaced.close();
            }
        }
        NDArray adversarial = Batches.select(success, xBestAdv, xBest);
        for (NDArray state : new NDArray[] {xAdv, xAdvOld, grad, xBest, gradBest, xBestAdv}) {
            state.close();
        }
        return new Outcome(adversarial, success, lossBest);
    }

    /**
     * The loss gradient at {@code point}; with EOT over E draws its mean over E forward-backward passes (of a
     * randomised model), the loss values and outcome those of the last draw, as in the reference.
     */
    private Batches.Gradient gradient(Classifier model, NDArray point, NDArray labels, LogitLoss loss,
                                      NDManager into) {
        Batches.Gradient last = Batches.gradient(model, point, labels, loss, into);
        if (eot == 1) {
            return last;
        }
        NDArray sum = last.gradient();
        for (int draw = 1; draw < eot; draw++) {
            last = Batches.gradient(model, point, labels, loss, into);
            NDArray next = sum.add(last.gradient());
            sum.close();
            last.gradient().close();
            sum = next;
        }
        NDArray mean = sum.div(eot);
        sum.close();
        return new Batches.Gradient(mean, last.loss(), last.misclassified());
    }

    /**
     * How many of the steps {@code from} … {@code to − 1} raised the loss of one example:
     * Σ_k 1[ℓ(x^{k+1}) &gt; ℓ(x^k)], with {@code lossAfter[k]} the loss at x^k (x⁰ the start).
     */
    static int increases(float[][] lossAfter, int example, int from, int to) {
        int count = 0;
        for (int k = from; k < to; k++) {
            count += lossAfter[k + 1][example] > lossAfter[k][example] ? 1 : 0;
        }
        return count;
    }

    /**
     * The checkpoint rule for one example: halve the step size (and restart from x_max) when the loss rose in at
     * most ρ of the interval's steps (condition 1), or when the step size was not halved at the previous checkpoint
     * and the best loss has not improved since (condition 2).
     */
    static boolean halves(int increases, int interval, double rho, boolean halvedLastCheck, float lossBestLastCheck,
                          float lossBest) {
        boolean oscillating = increases <= rho * interval;
        boolean stalled = !halvedLastCheck && lossBestLastCheck >= lossBest;
        return oscillating || stalled;
    }

    /** Builds an {@link Apgd}. */
    public static final class Builder {
        private String id;
        private Norm norm = Norm.LINF;
        private double epsilon = Double.NaN;
        private int steps = 100;
        private LogitLoss loss = LogitLoss.crossEntropy();
        private String lossId = "ce";
        private double rho = 0.75;
        private int restarts = 1;
        private int eot = 1;

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

        /** Iterations N ≥ 1 (default 100). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Ascend the difference of logits ratio, {@link LogitLoss#dlr()}: APGD-DLR (id {@code apgd-dlr}). */
        public Builder optDlr() {
            this.loss = LogitLoss.dlr();
            this.lossId = "dlr";
            return this;
        }

        /** Ascend another loss (default cross-entropy); the default id becomes {@code apgd}. */
        public Builder optLoss(LogitLoss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.lossId = null;
            return this;
        }

        /** The share ρ ∈ (0, 1) of increasing steps below which the step size is halved (default 0.75). */
        public Builder optRho(double rho) {
            this.rho = rho;
            return this;
        }

        /** Restarts R ≥ 1 from new random starts; the per-example worst case is kept (default 1). */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /**
         * Expectation over transformation: average each step's gradient over E ≥ 1 forward-backward passes, for
         * randomised models (default 1; AutoAttack's {@code rand} version uses 20).
         */
        public Builder optEot(int draws) {
            this.eot = draws;
            return this;
        }

        /** The id (default {@code apgd-ce} or {@code apgd-dlr}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on a bad ε, N &lt; 1, ρ outside (0, 1) or R &lt; 1 */
        public Apgd build() {
            Arguments.epsilon(norm, epsilon);
            Arguments.atLeast("steps", steps, 1);
            Arguments.atLeast("restarts", restarts, 1);
            Arguments.atLeast("eot", eot, 1);
            if (!(rho > 0 && rho < 1)) {
                throw new IllegalArgumentException("rho must be in (0, 1), got " + rho);
            }
            if (id == null) {
                id = lossId == null ? "apgd" : "apgd-" + lossId;
            }
            return new Apgd(this);
        }
    }
}
