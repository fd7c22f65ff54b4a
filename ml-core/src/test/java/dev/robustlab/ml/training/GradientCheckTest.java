package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient each loss back-propagates, against central finite differences of its value, in float64 on a tiny
 * model with BatchNorm (training mode), over every trainable parameter. Squeeze Training's symmetric KL detaches
 * the target of each KL, so its gradient is the derivative of the loss with both targets frozen at the current
 * weights: the finite differences are taken of that function, computed here in plain Java from the logits.
 */
class GradientCheckTest {
    private static final double H = 1e-6;
    private static final double TOLERANCE = 1e-7;

    @Test
    void squeezeTrainingWithJensenShannonAndSquaredL2() {
        for (var regularizer : List.of(SqueezeTrainingObjective.Regularizer.JENSEN_SHANNON,
                SqueezeTrainingObjective.Regularizer.SQUARED_L2)) {
            check(new SqueezeTrainingObjective(regularizer, 6, 0.1, 0.02, 2), 3, null);
        }
    }

    @Test
    void squeezeTrainingWithTheDetachedSymmetricKl() {
        SqueezeTrainingObjective st = new SqueezeTrainingObjective(SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL,
                6, 0.1, 0.02, 2);
        check(st, 3, FrozenTargets::new);
    }

    @Test
    void cfa() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.02).setSteps(2).optStartEpoch(0)
                .optThreshold(1).build();
        cfa.epochEnded(new EpochContext(1, null, new long[] {9, 3, 6}, new long[] {10, 10, 10}));
        check(cfa, 2, null);
    }

    /** The surrogate of the symmetric-KL loss whose derivative is its back-propagated gradient. */
    private interface Surrogate extends ToDoubleFunction<double[][][]> {
    }

    /** ST's loss with roles and KL targets frozen at the logits it is built from. */
    private static final class FrozenTargets implements Surrogate {
        private final int[] labels;
        private final int[] upper;
        private final int[] lower;
        private final double[][] upperTarget;
        private final double[][] lowerTarget;

        FrozenTargets(double[][][] logits, int[] labels) {
            this.labels = labels;
            int n = labels.length;
            float[][] p = new float[3][n];
            for (int point = 0; point < 3; point++) {
                for (int i = 0; i < n; i++) {
                    p[point][i] = (float) softmax(logits[point][i])[labels[i]];
                }
            }
            SqueezeRoles roles = SqueezeRoles.choose(p[0], p[1], p[2]);
            upper = roles.upper();
            lower = roles.lower();
            upperTarget = new double[n][];
            lowerTarget = new double[n][];
            for (int i = 0; i < n; i++) {
                upperTarget[i] = softmax(logits[upper[i]][i]);
                lowerTarget[i] = softmax(logits[lower[i]][i]);
            }
        }

        @Override
        public double applyAsDouble(double[][][] logits) {
            double sum = 0;
            for (int i = 0; i < labels.length; i++) {
                double[] natural = logSoftmax(logits[0][i]);
                double[] logUpper = logSoftmax(logits[upper[i]][i]);
                double[] logLower = logSoftmax(logits[lower[i]][i]);
                double kl = 0;
                for (int k = 0; k < natural.length; k++) {
                    kl += lowerTarget[i][k] * (Math.log(lowerTarget[i][k]) - logUpper[k])
                            + upperTarget[i][k] * (Math.log(upperTarget[i][k]) - logLower[k]);
                }
                sum += -natural[labels[i]] + 6 * 0.5 * kl;
            }
            return sum / labels.length;
        }
    }

    private static void check(TrainingObjective objective, int points,
                              java.util.function.BiFunction<double[][][], int[], Surrogate> surrogateAt) {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withBatchNorm(4, 6, 3, 21L, DataType.FLOAT64, manager)) {
            SplittableRandom random = new SplittableRandom(8);
            NDArray x = SeededModels.uniform(manager, random, 0, 1, DataType.FLOAT64, 8, 4);
            NDList prepared = new NDList(x);
            for (int p = 1; p < points; p++) {
                prepared.add(x.add(SeededModels.uniform(manager, random, -0.1, 0.1, DataType.FLOAT64, 8, 4)));
            }
            int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
            long[] labelValues = new long[y.length];
            for (int i = 0; i < y.length; i++) {
                labelValues[i] = y[i];
            }
            NDArray labels = manager.create(labelValues);
            try (GradientScope gradients = GradientScope.open()) {
                gradients.backward(objective.loss(model, prepared, labels).loss());
            }
            Surrogate surrogate = surrogateAt == null ? null : surrogateAt.apply(logits(model, prepared), y);
            ToDoubleFunction<Void> value = surrogate == null
                    ? unused -> loss(objective, model, prepared, labels)
                    : unused -> surrogate.applyAsDouble(logits(model, prepared));
            int checked = 0;
            double worst = 0;
            for (Parameter parameter : model.parameters()) {
                if (!parameter.requiresGradient()) {
                    continue;
                }
                double[] analytic = parameter.getArray().getGradient().toDoubleArray();
                double[] original = parameter.getArray().toDoubleArray();
                for (int j = 0; j < original.length; j++) {
                    double plus = evaluateAt(parameter, original, j, H, value);
                    double minus = evaluateAt(parameter, original, j, -H, value);
                    double numeric = (plus - minus) / (2 * H);
                    worst = Math.max(worst, Math.abs(numeric - analytic[j]));
                    assertEquals(numeric, analytic[j], TOLERANCE, objective.id() + " ∂L/∂" + parameter.getName()
                            + "[" + j + "]");
                    checked++;
                }
                ParameterValues.assign(parameter, manager.create(original, parameter.getArray().getShape()));
            }
            assertTrue(checked > 60, "every trainable parameter: " + checked);
            System.out.printf("%s: %d partial derivatives, largest |finite difference − gradient| %.2e%n",
                    objective.id(), checked, worst);
        }
    }

    private static double evaluateAt(Parameter parameter, double[] original, int j, double step,
                                     ToDoubleFunction<Void> value) {
        double[] moved = original.clone();
        moved[j] += step;
        try (NDManager scratch = parameter.getArray().getManager().newSubManager()) {
            ParameterValues.assign(parameter, scratch.create(moved, parameter.getArray().getShape()));
            return value.applyAsDouble(null);
        } finally {
            try (NDManager scratch = parameter.getArray().getManager().newSubManager()) {
                ParameterValues.assign(parameter, scratch.create(original, parameter.getArray().getShape()));
            }
        }
    }

    private static double loss(TrainingObjective objective, Classifier model, NDList prepared, NDArray labels) {
        try (NDManager scope = labels.getManager().newSubManager()) {
            scope.tempAttachAll(prepared, labels);
            return objective.loss(model, prepared, labels).loss().getDouble();
        }
    }

    /** Training-mode logits of each point, [point][example][class]. */
    private static double[][][] logits(Classifier model, NDList prepared) {
        List<double[][]> all = new ArrayList<>();
        try (NDManager scope = prepared.get(0).getManager().newSubManager()) {
            scope.tempAttachAll(prepared);
            for (NDArray point : prepared) {
                NDArray z = model.logits(point, true);
                int n = Math.toIntExact(z.getShape().get(0));
                int k = Math.toIntExact(z.getShape().get(1));
                double[] flat = z.toDoubleArray();
                double[][] rows = new double[n][k];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(flat, i * k, rows[i], 0, k);
                }
                all.add(rows);
            }
        }
        return all.toArray(new double[0][][]);
    }

    private static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            out[k] = z[k] - log;
        }
        return out;
    }

    private static double[] softmax(double[] z) {
        double[] log = logSoftmax(z);
        for (int k = 0; k < log.length; k++) {
            log[k] = Math.exp(log[k]);
        }
        return log;
    }
}
