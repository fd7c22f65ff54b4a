package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.loss.KlDivergence;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code cfa}: class-wise calibrated fair adversarial training on TRADES (Wei et al., "CFA: Class-Wise Calibrated
 * Fair Adversarial Training", CVPR 2023), after the authors' code. With r_k the training robust accuracy of class
 * k during the previous epoch (the accuracy of the logits of x' below, per class), for epochs t ≥ start_epoch
 * (0-based; earlier epochs, and classes without examples last epoch, use ε and β/(1 + β)):
 * <pre>
 *   ε_k = (λ₁ + r_k)·ε                                    class-wise radius of the training attack
 *   β_k = (λ₂ + r_k)·β / (1 + (λ₂ + r_k)·β)               class-wise TRADES weight, in (0, 1)
 *   x'  = {@link TradesAttack} in l∞ with radius ε_{y_i} per example (K steps of α from the threat model)
 *   L   = mean_i [(1 − β_{y_i})·CE(f(x_i), y_i) + β_{y_i}·KL(p(x_i) ‖ p(x'_i))]     (training mode)
 * </pre>
 * The loss is TRADES' CE + β'·KL with β' = (λ₂ + r_k)β, divided by 1 + β' as the authors' code writes it (before
 * calibration: TRADES with β, divided by 1 + β); gradients flow through both p(x) and p(x'). The attack starts
 * from x + 0.001·N(0, I) projected onto the class-wise ball, as TRADES' attack here does (the authors' code leaves
 * the start unprojected: the two agree bit for bit on an example whose start lies in B_{ε_i}(x_i) ∩ [0,1]^d; one
 * with a coordinate at a face of the box, or a radius below the noise, can take another ascent from step one).
 *
 * <p>Fairness-aware weight averaging (FAWA): at the end of every epoch t ≥ start_epoch whose worst class has
 * robust accuracy min_k r_k ≥ threshold (classes with examples that epoch), the average θ̄ is updated, θ̄ ← θ the
 * first time, θ̄ ← decay·θ̄ + (1 − decay)·θ after, over every parameter (BatchNorm running statistics included);
 * otherwise it stays. Training goes on from θ: the average is a separate model, as in the authors' code.
 * <b>Exposure:</b> once it exists, the average is what the run's checkpoints carry
 * ({@link #withCheckpointWeights}), so the evaluated model of each epoch is the FAWA model; before, checkpoints
 * carry θ. The authors select FAWA updates on a held-out validation split's class-wise PGD accuracy; runs here
 * have no validation split, so the training robust accuracy r_k of the epoch decides.
 *
 * <p>Defaults (TrainingMethods): β = 6, λ₁ = λ₂ = 0.5, decay 0.88, start_epoch 10, threshold 0.2. Not
 * thread-safe; one instance per run (it keeps the calibration and the average between epochs).
 */
public final class CfaObjective implements TrainingObjective {
    private final double epsilon;
    private final TradesAttack attack;
    private final double beta;
    private final double lambda1;
    private final double lambda2;
    private final double decay;
    private final int startEpoch;
    private final double threshold;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    /** r_k of the last ended epoch; null before the first. */
    private double[] robustAccuracy;
    /** Whether the epoch being trained uses the class-wise ε_k, β_k. */
    private boolean calibrated;
    private NDManager averageManager;
    private List<NDArray> average;
    private int averageUpdates;

    private CfaObjective(Builder builder) {
        this.epsilon = builder.epsilon;
        this.attack = TradesAttack.builder().setEpsilon(builder.epsilon).setStepSize(builder.stepSize)
                .optSteps(builder.steps).build();
        this.beta = builder.beta;
        this.lambda1 = builder.lambda1;
        this.lambda2 = builder.lambda2;
        this.decay = builder.decay;
        this.startEpoch = builder.startEpoch;
        this.threshold = builder.threshold;
    }

    /** A builder: {@code set*} for the threat model's ε, α and K, {@code opt*} for the method's parameters. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return TrainingMethods.CFA;
    }

    @Override
    public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        long[] classes = labels.toLongArray();
        float[] radius = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            radius[i] = (float) classEpsilon(Math.toIntExact(classes[i]));
        }
        return new NDList(x, attack.perturb(model, x, labels, radius, random));
    }

    @Override
    public Value loss(Classifier model, NDList prepared, NDArray labels) {
        return evaluate(model, prepared, labels, null);
    }

    /** The loss with the unselected examples' terms set to zero, on the full batch (BatchNorm included). */
    @Override
    public Value maskedLoss(Classifier model, NDList prepared, NDArray labels, boolean[] selected) {
        ObjectiveRows.selectedRows(selected, labels);
        return evaluate(model, prepared, labels, selected);
    }

    private Value evaluate(Classifier model, NDList prepared, NDArray labels, boolean[] selected) {
        if (prepared.size() != 2) {
            throw new IllegalArgumentException("cfa expects (x, x'), got " + prepared.size() + " arrays");
        }
        NDArray naturalLogits = model.logits(prepared.get(0), true);
        NDArray adversarialLogits = model.logits(prepared.get(1), true);
        long[] classes = labels.toLongArray();
        float[] weight = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            double w = classBeta(Math.toIntExact(classes[i]));
            weight[i] = selected == null || selected[i] ? (float) w : 0f;
        }
        float[] naturalWeight = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            naturalWeight[i] = selected == null || selected[i] ? 1f - weight[i] : 0f;
        }
        NDManager home = naturalLogits.getManager();
        NDArray robustWeight = home.create(weight).toType(naturalLogits.getDataType(), false);
        NDArray cleanWeight = home.create(naturalWeight).toType(naturalLogits.getDataType(), false);
        NDArray perExample = crossEntropy.perExample(naturalLogits, labels).mul(cleanWeight)
                .add(KlDivergence.perExample(naturalLogits, adversarialLogits).mul(robustWeight));
        return new Value(perExample.mean(), adversarialLogits);
    }

    /** ε_k for examples of class k in the epoch being trained. */
    public double classEpsilon(int k) {
        double r = calibration(k);
        return Double.isNaN(r) ? epsilon : (lambda1 + r) * epsilon;
    }

    /** The TRADES weight β_k in (0, 1) for examples of class k in the epoch being trained. */
    public double classBeta(int k) {
        double r = calibration(k);
        double effective = Double.isNaN(r) ? beta : (lambda2 + r) * beta;
        return effective / (1 + effective);
    }

    /** r_k if the epoch being trained is calibrated and class k had examples last epoch, else NaN. */
    private double calibration(int k) {
        if (!calibrated || robustAccuracy == null || k < 0 || k >= robustAccuracy.length) {
            return Double.NaN;
        }
        return robustAccuracy[k];
    }

    /** Updates the calibration for the next epoch and, from start_epoch, the weight average. */
    @Override
    public void epochEnded(EpochContext context) {
        int ended = context.epoch() - 1;
        double[] accuracy = new double[context.classes()];
        double worst = Double.POSITIVE_INFINITY;
        for (int k = 0; k < accuracy.length; k++) {
            accuracy[k] = context.accuracy(k);
            if (!Double.isNaN(accuracy[k])) {
                worst = Math.min(worst, accuracy[k]);
            }
        }
        robustAccuracy = accuracy;
        calibrated = ended + 1 >= startEpoch;
        if (ended >= startEpoch && worst != Double.POSITIVE_INFINITY && worst >= threshold) {
            updateAverage(context.model());
        }
    }

    private void updateAverage(Classifier model) {
        List<Parameter> parameters = model.parameters();
        if (average == null) {
            averageManager = model.manager().newSubManager();
            average = ParameterValues.copy(parameters, averageManager);
        } else {
            try (NDManager scratch = averageManager.newSubManager()) {
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray current = ParameterValues.copy(parameters.get(i).getArray(), scratch);
                    average.get(i).muli(decay).addi(current.muli(1 - decay));
                }
            }
        }
        averageUpdates++;
    }

    /** How many times the weight average was set or updated (0: checkpoints carry the trained weights). */
    public int averageUpdates() {
        return averageUpdates;
    }

    /** r_k of the last ended epoch per class (NaN for a class without examples), or null before the first. */
    public double[] robustAccuracy() {
        return robustAccuracy == null ? null : robustAccuracy.clone();
    }

    /**
     * Runs {@code write} with the FAWA average in the model once it exists (the trained weights before), then
     * puts the trained weights back exactly.
     */
    @Override
    public <T> T withCheckpointWeights(Classifier model, Supplier<T> write) {
        if (average == null) {
            return write.get();
        }
        List<Parameter> parameters = model.parameters();
        try (NDManager swap = model.manager().newSubManager()) {
            List<NDArray> trained = ParameterValues.copy(parameters, swap);
            ParameterValues.assign(parameters, average);
            try {
                return write.get();
            } finally {
                ParameterValues.assign(parameters, trained);
            }
        }
    }

    /** Builds a {@link CfaObjective}. */
    public static final class Builder {
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private int steps = -1;
        private double beta = 6;
        private double lambda1 = 0.5;
        private double lambda2 = 0.5;
        private double decay = 0.88;
        private int startEpoch = 10;
        private double threshold = 0.2;

        private Builder() {
        }

        /** The base l∞ radius ε in (0, 1]; class-wise radii are (λ₁ + r_k)·ε. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Step α &gt; 0 of the training attack. */
        public Builder setStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Steps K ≥ 0 of the training attack. */
        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** β ≥ 0 (default 6). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** λ₁ ≥ 0 (default 0.5). */
        public Builder optLambda1(double lambda1) {
            this.lambda1 = lambda1;
            return this;
        }

        /** λ₂ ≥ 0 (default 0.5). */
        public Builder optLambda2(double lambda2) {
            this.lambda2 = lambda2;
            return this;
        }

        /** Decay of the weight average, in [0, 1) (default 0.88). */
        public Builder optDecay(double decay) {
            this.decay = decay;
            return this;
        }

        /** First 0-based epoch with calibration and weight averaging, ≥ 0 (default 10). */
        public Builder optStartEpoch(int startEpoch) {
            this.startEpoch = startEpoch;
            return this;
        }

        /** Worst-class robust accuracy from which the average is updated, in [0, 1] (default 0.2). */
        public Builder optThreshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad parameter */
        public CfaObjective build() {
            if (!(epsilon > 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("cfa: epsilon must be in (0, 1], got " + epsilon);
            }
            if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
                throw new IllegalArgumentException("cfa: stepSize must be a positive number, got " + stepSize);
            }
            if (steps < 0) {
                throw new IllegalArgumentException("cfa: steps must be ≥ 0, got " + steps);
            }
            nonNegative("beta", beta);
            nonNegative("lambda1", lambda1);
            nonNegative("lambda2", lambda2);
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("cfa: decay must be in [0, 1), got " + decay);
            }
            if (startEpoch < 0) {
                throw new IllegalArgumentException("cfa: start_epoch must be ≥ 0, got " + startEpoch);
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("cfa: threshold must be in [0, 1], got " + threshold);
            }
            return new CfaObjective(this);
        }

        private static void nonNegative(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("cfa: " + name + " must be a number ≥ 0, got " + value);
            }
        }
    }
}
