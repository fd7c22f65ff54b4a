package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.loss.SoftmaxDivergences;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;

/**
 * Squeeze Training, ST (Li et al., "Squeeze Training for Adversarial Robustness", ICLR 2023), ids {@code st},
 * {@code st-js}, {@code st-l2}, after the authors' released code (../shared/METHODS.md). On a batch (x, y), l∞:
 * <pre>
 *   generation (K steps, step α, radius ε; f runs BatchNorm on batch statistics, running statistics untouched):
 *     x_adv⁰ = x + 0.001·N(0, I),  x_col⁰ = x + 0.001·N(0, I)              (independent draws, x_adv first)
 *     each step t: among P = {x, x_col^t, x_adv^t}, per example,
 *       upper = argmin_{v ∈ P} p_y(v),  lower = argmax_{v ∈ P} p_y(v)         ({@link SqueezeRoles})
 *       L = mean_i ½ [KL(sg(p(lower_i)) ‖ p(upper_i)) + KL(sg(p(upper_i)) ‖ p(lower_i))]
 *       x_adv^{t+1} = Π(upper + α·sign ∇_upper L),  x_col^{t+1} = Π(lower + α·sign ∇_lower L)
 *     (a role held by x starts from x itself), Π the projection onto B_ε(x) ∩ [0,1]^d
 *   outer loss (training mode):
 *     L = mean_i [CE(f(x_i), y_i) + β·ℓ_reg(f(x_upper,i), f(x_lower,i))],  roles re-chosen on these logits
 *     ℓ_reg: st = the symmetric KL above, st-js = Jensen-Shannon, st-l2 = ‖p(x_upper) − p(x_lower)‖₂²
 * </pre>
 * ({@link SoftmaxDivergences}); β = 6, K, α, ε from the threat model. The generation ascends the symmetric KL
 * for every regulariser (METHODS.md; the released code knows only that one); the regulariser differs in the outer
 * loss. The starts are not projected (the first step's projection takes care of them), as in the authors' code.
 *
 * <p>BatchNorm as in the authors' code, which turns {@code track_running_stats} off for the generation and the
 * forward of x_col in the loss: every forward runs in training mode (batch statistics); the running statistics
 * are left untouched by the generation ({@link RunningStatistics}) and by the loss's x_col forward, and updated
 * by the loss's forwards of x, then x_adv, in that order.
 *
 * <p>One difference from the released code, on purpose: there, in a step where no example gives x a role, the
 * points are not swapped by role although the gradients are (x_adv moves by the gradient of x_col where x_col is
 * the upper point); here the two points that hold the roles always move by their own gradients, as METHODS.md
 * states the algorithm.
 *
 * <p>{@link #prepare} returns (x, x_col, x_adv); {@link Value#logits} are the logits of the upper points, whose
 * accuracy is the epoch's training (robust) accuracy and whose cross-entropy RWP selects examples by.
 */
public final class SqueezeTrainingObjective implements TrainingObjective {
    /** Standard deviation of the Gaussian start around x. */
    public static final double START_NOISE = 0.001;

    private final Regularizer regularizer;
    private final double beta;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    /**
     * @param regularizer ℓ_reg of the outer loss, which names the method
     * @param beta        weight β ≥ 0 of the regulariser
     * @param epsilon     l∞ radius ε in (0, 1]
     * @param stepSize    step α > 0 of the generation
     * @param steps       steps K ≥ 0 of the generation
     * @throws IllegalArgumentException naming the first bad argument
     */
    public SqueezeTrainingObjective(Regularizer regularizer, double beta, double epsilon, double stepSize,
                                    int steps) {
        this.regularizer = Objects.requireNonNull(regularizer, "regularizer");
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(regularizer.id + ": beta must be a number ≥ 0, got " + beta);
        }
        if (!(epsilon > 0 && epsilon <= 1)) {
            throw new IllegalArgumentException(regularizer.id + ": epsilon must be in (0, 1], got " + epsilon);
        }
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException(regularizer.id + ": stepSize must be a positive number, got "
                    + stepSize);
        }
        if (steps < 0) {
            throw new IllegalArgumentException(regularizer.id + ": steps must be ≥ 0, got " + steps);
        }
        this.beta = beta;
        this.epsilon = epsilon;
        this.stepSize = stepSize;
        this.steps = steps;
    }

    @Override
    public String id() {
        return regularizer.id;
    }

    /** ℓ_reg. */
    public Regularizer regularizer() {
        return regularizer;
    }

    /** β. */
    public double beta() {
        return beta;
    }

    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        try (NDManager starts = x.getManager().newSubManager()) {
            NDArray adversarialStart = TrainingNoise.gaussianAround(x, START_NOISE, random, starts);
            NDArray collaborativeStart = TrainingNoise.gaussianAround(x, START_NOISE, random, starts);
            return generate(model, x, labels, adversarialStart, collaborativeStart);
        }
    }

    /**
     * The generation from given starts: K steps as the class comment states. The model's parameters get no
     * gradient and its BatchNorm running statistics are the same, bit for bit, afterwards.
     *
     * @return (x, x_col, x_adv), the two new arrays in x's manager
     */
    public NDList generate(Classifier model, NDArray x, NDArray labels, NDArray adversarialStart,
                           NDArray collaborativeStart) {
        NDManager owner = x.getManager();
        NDArray collaborative;
        NDArray adversarial;
        try (NDManager scope = owner.newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model);
             RunningStatistics statistics = RunningStatistics.freeze(model)) {
            scope.tempAttachAll(x, labels);
            NDArray lowerBound = x.sub(epsilon).maximum(0f);
            NDArray upperBound = x.add(epsilon).minimum(1f);
            float[] naturalProbability;
            NDArray naturalLogits = model.logits(x, true);
            naturalProbability = SqueezeRoles.labelProbability(naturalLogits, labels);
            adversarial = ParameterValues.copy(adversarialStart, scope);
            collaborative = ParameterValues.copy(collaborativeStart, scope);
            for (int t = 0; t < steps; t++) {
                NDArray[] next = squeeze(model, x, labels, naturalLogits, naturalProbability, collaborative,
                        adversarial, lowerBound, upperBound, scope);
                collaborative.close();
                adversarial.close();
                collaborative = next[0];
                adversarial = next[1];
            }
            collaborative.attach(owner);
            adversarial.attach(owner);
        }
        return new NDList(x, collaborative, adversarial);
    }

    /** One step; returns the new (x_col, x_adv) in {@code scope}, the step's temporaries closed. */
    private NDArray[] squeeze(Classifier model, NDArray x, NDArray labels, NDArray naturalLogits,
                              float[] naturalProbability, NDArray collaborative, NDArray adversarial,
                              NDArray lowerBound, NDArray upperBound, NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray collaborativeLeaf = leaf(collaborative, step);
            NDArray adversarialLeaf = leaf(adversarial, step);
            NDArray naturalLeaf = null;
            SqueezeRoles roles;
            try (GradientScope gradients = GradientScope.open()) {
                NDArray collaborativeLogits = model.logits(collaborativeLeaf, true);
                NDArray adversarialLogits = model.logits(adversarialLeaf, true);
                roles = SqueezeRoles.choose(naturalProbability,
                        SqueezeRoles.labelProbability(collaborativeLogits, labels),
                        SqueezeRoles.labelProbability(adversarialLogits, labels));
                NDArray natural = naturalLogits;
                if (roles.uses(SqueezeRoles.NATURAL)) {
                    naturalLeaf = leaf(x, step);
                    natural = model.logits(naturalLeaf, true);
                }
                NDArray upper = roles.upper(natural, collaborativeLogits, adversarialLogits, step);
                NDArray lower = roles.lower(natural, collaborativeLogits, adversarialLogits, step);
                NDArray loss = SoftmaxDivergences.symmetricKl(upper, lower).mean();
                gradients.backward(loss);
            }
            NDArray zeros = step.zeros(x.getShape(), x.getDataType());
            NDArray naturalGradient = naturalLeaf == null ? zeros : naturalLeaf.getGradient();
            NDArray collaborativeGradient = roles.uses(SqueezeRoles.COLLABORATIVE)
                    ? collaborativeLeaf.getGradient() : zeros;
            NDArray adversarialGradient = roles.uses(SqueezeRoles.ADVERSARIAL)
                    ? adversarialLeaf.getGradient() : zeros;
            NDArray[] next = new NDArray[2];
            int[][] byRole = {roles.lower(), roles.upper()};
            for (int r = 0; r < 2; r++) {
                NDArray from = SqueezeRoles.select(byRole[r], x, collaborative, adversarial, step);
                NDArray gradient = SqueezeRoles.select(byRole[r], naturalGradient, collaborativeGradient,
                        adversarialGradient, step);
                NDArray moved = gradient.sign().muli(stepSize).addi(from).maximum(lowerBound).minimum(upperBound);
                moved.attach(scope);
                next[r] = moved;
            }
            return next;
        }
    }

    private static NDArray leaf(NDArray point, NDManager step) {
        NDArray leaf = point.stopGradient();
        leaf.attach(step);
        leaf.setRequiresGradient(true);
        return leaf;
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        return evaluate(model, prepared, labels, null);
    }

    /** The outer loss with the unselected examples' terms set to zero, on the full batch (BatchNorm included). */
    @Override
    public Value maskedLoss(Classifier model, NDList prepared, NDArray labels, boolean[] selected) {
        ObjectiveRows.selectedRows(selected, labels);
        return evaluate(model, prepared, labels, selected);
    }

    private Value evaluate(Classifier model, NDList prepared, NDArray labels, boolean[] selected) {
        if (prepared.size() != 3) {
            throw new IllegalArgumentException(id() + " expects (x, x_col, x_adv), got " + prepared.size()
                    + " arrays");
        }
        NDArray x = prepared.get(0);
        NDArray collaborativeLogits;
        try (RunningStatistics untouched = RunningStatistics.freeze(model)) {
            collaborativeLogits = model.logits(prepared.get(1), true);
        }
        NDArray naturalLogits = model.logits(x, true);
        NDArray adversarialLogits = model.logits(prepared.get(2), true);
        SqueezeRoles roles = SqueezeRoles.choose(SqueezeRoles.labelProbability(naturalLogits, labels),
                SqueezeRoles.labelProbability(collaborativeLogits, labels),
                SqueezeRoles.labelProbability(adversarialLogits, labels));
        NDManager home = naturalLogits.getManager();
        NDArray upper = roles.upper(naturalLogits, collaborativeLogits, adversarialLogits, home);
        NDArray lower = roles.lower(naturalLogits, collaborativeLogits, adversarialLogits, home);
        NDArray perExample = crossEntropy.perExample(naturalLogits, labels)
                .add(regularizer.divergence.apply(upper, lower).mul(beta));
        if (selected != null) {
            float[] mask = new float[selected.length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = selected[i] ? 1f : 0f;
            }
            perExample = perExample.mul(home.create(mask).toType(perExample.getDataType(), false));
        }
        return new Value(perExample.mean(), upper);
    }

    /** ℓ_reg of the outer loss; each names its method. */
    public enum Regularizer {
        /** ½ [KL(sg(p_lower) ‖ p_upper) + KL(sg(p_upper) ‖ p_lower)]: {@code st}, the released code's. */
        SYMMETRIC_KL(TrainingMethods.ST, SoftmaxDivergences::symmetricKl),
        /** Jensen-Shannon divergence of p_upper and p_lower: {@code st-js}. */
        JENSEN_SHANNON(TrainingMethods.ST_JS, SoftmaxDivergences::jensenShannon),
        /** ‖p_upper − p_lower‖₂²: {@code st-l2}. */
        SQUARED_L2(TrainingMethods.ST_L2, SoftmaxDivergences::squaredL2);

        private final String id;
        private final BinaryOperator<NDArray> divergence;

        Regularizer(String id, BinaryOperator<NDArray> divergence) {
            this.id = id;
            this.divergence = divergence;
        }

        /** The method id. */
        public String id() {
            return id;
        }

        /** The regulariser whose method id is {@code id}. */
        public static Regularizer of(String id) {
            for (Regularizer regularizer : values()) {
                if (regularizer.id.equals(id)) {
                    return regularizer;
                }
            }
            throw new IllegalArgumentException("'" + id + "' is not a Squeeze Training method; known: st, st-js, "
                    + "st-l2");
        }
    }
}
