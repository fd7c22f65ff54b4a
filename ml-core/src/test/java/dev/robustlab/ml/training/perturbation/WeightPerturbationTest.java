package dev.robustlab.ml.training.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.ParameterValues;
import dev.robustlab.ml.training.PgdAtObjective;
import dev.robustlab.ml.training.SqueezeTrainingObjective;
import dev.robustlab.ml.training.SeededModels;
import dev.robustlab.ml.training.TrainingObjective;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AWP and RWP: per-layer norms, the step's gradient at w + v, exact restoration, untouched BatchNorm statistics. */
class WeightPerturbationTest {
    private static final PgdAtObjective PGD_AT =
            new PgdAtObjective(Pgd.builder().setEpsilon(0.1).setStepSize(0.025).build());

    @Test
    void eachLayerMovesByGammaTimesItsNormAndComesBackBitForBit() {
        for (WeightPerturbationConfig config : List.of(WeightPerturbationConfig.awp(),
                WeightPerturbationConfig.of("awp", 0.005, null, null), WeightPerturbationConfig.rwp(),
                WeightPerturbationConfig.of("rwp", 0.02, 3, Double.POSITIVE_INFINITY))) {
            for (TrainingObjective objective : List.<TrainingObjective>of(PGD_AT, new SqueezeTrainingObjective(
                    SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL, 6, 0.1, 0.025, 2))) {
                try (NDManager manager = MlEngine.newBaseManager();
                     Classifier model = SeededModels.withBatchNorm(6, 12, 3, 7L, DataType.FLOAT32, manager)) {
                    NDArray x = SeededModels.uniform(manager, new SplittableRandom(1), 0, 1, DataType.FLOAT32, 32, 6);
                    NDArray labels = labels(manager, 32, 3);
                    NDList prepared = objective instanceof PgdAtObjective ? new NDList(x)
                            : objective.prepare(model, x, labels, new SplittableRandom(2));
                    List<float[]> before = values(model.parameters());
                    String what = config + " on " + objective.id();
                    try (PerturbedWeights perturbed = new WeightPerturbation(config).perturb(model, objective,
                            prepared, labels)) {
                        List<Parameter> weights = perturbed.weights();
                        assertEquals(2, weights.size(), what + ": the two linear weights");
                        for (int l = 0; l < weights.size(); l++) {
                            double w = norm(before.get(model.parameters().indexOf(weights.get(l))));
                            double v = norm(perturbed.perturbations().get(l).toFloatArray());
                            assertTrue(v <= config.gamma() * w * (1 + 1e-6), what + ": ‖v‖ " + v + " ≤ γ‖w‖");
                            assertTrue(v >= config.gamma() * w * (1 - 1e-5), what + ": ‖v‖ " + v + " = γ‖w‖");
                            float[] moved = weights.get(l).getArray().toFloatArray();
                            float[] original = before.get(model.parameters().indexOf(weights.get(l)));
                            float[] difference = new float[moved.length];
                            for (int j = 0; j < moved.length; j++) {
                                difference[j] = moved[j] - original[j];
                            }
                            assertTrue(norm(difference) <= config.gamma() * w * (1 + 1e-3),
                                    what + ": the weights sit at w + v");
                            assertTrue(norm(difference) >= config.gamma() * w * (1 - 1e-3));
                        }
                        List<float[]> during = values(model.parameters());
                        for (int i = 0; i < during.size(); i++) {
                            if (!weights.contains(model.parameters().get(i))) {
                                assertBitIdentical(before.get(i), during.get(i), what + ": "
                                        + model.parameters().get(i).getName() + " is not perturbed (running "
                                        + "statistics included: the ascent leaves them alone)");
                            }
                        }
                    }
                    List<float[]> after = values(model.parameters());
                    for (int i = 0; i < after.size(); i++) {
                        assertBitIdentical(before.get(i), after.get(i), what + ": "
                                + model.parameters().get(i).getName() + " restored");
                    }
                }
            }
        }
    }

    @Test
    void theStepsGradientIsTakenAtThePerturbedWeightsAndSurvivesTheRestoration() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withoutBatchNorm(5, 10, 3, 11L, DataType.FLOAT32, manager)) {
            NDArray x = SeededModels.uniform(manager, new SplittableRandom(3), 0, 1, DataType.FLOAT32, 20, 5);
            NDArray labels = labels(manager, 20, 3);
            NDList prepared = new NDList(x);
            float[] atW = gradients(model, prepared, labels);
            float[] atPerturbed;
            List<NDArray> perturbation = new ArrayList<>();
            List<Parameter> weights;
            try (PerturbedWeights perturbed = new WeightPerturbation(WeightPerturbationConfig.awp()).perturb(model,
                    PGD_AT, prepared, labels)) {
                weights = perturbed.weights();
                for (NDArray v : perturbed.perturbations()) {
                    perturbation.add(ParameterValues.copy(v, manager));
                }
                try (GradientScope gradients = GradientScope.open()) {
                    gradients.backward(PGD_AT.loss(model, prepared, labels).loss());
                }
            }
            atPerturbed = readGradients(model);
            assertFalse(Arrays.equals(atW, atPerturbed), "the gradient at w + v differs from the one at w");
            zeroGradients(model);
            List<float[]> original = values(weights);
            for (int l = 0; l < weights.size(); l++) {
                NDArray w = ParameterValues.copy(weights.get(l).getArray(), manager);
                ParameterValues.assign(weights.get(l), w.add(perturbation.get(l)));
            }
            float[] recomputed = gradients(model, prepared, labels);
            assertArrayEquals(recomputed, atPerturbed, "the kept gradient is the one at w + v");
            for (int l = 0; l < weights.size(); l++) {
                ParameterValues.assign(weights.get(l), manager.create(original.get(l),
                        weights.get(l).getArray().getShape()));
            }
        }
    }

    @Test
    void rwpWithoutAnySelectedExampleLeavesTheWeightsAlone() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withoutBatchNorm(5, 10, 3, 11L, DataType.FLOAT32, manager)) {
            NDArray x = SeededModels.uniform(manager, new SplittableRandom(3), 0, 1, DataType.FLOAT32, 20, 5);
            List<float[]> before = values(model.parameters());
            try (PerturbedWeights perturbed = new WeightPerturbation(WeightPerturbationConfig.of("rwp", null, null,
                    1e-6)).perturb(model, PGD_AT, new NDList(x), labels(manager, 20, 3))) {
                assertTrue(perturbed.perturbations().isEmpty(), "no example has a cross-entropy below 1e-6");
                List<float[]> during = values(model.parameters());
                for (int i = 0; i < before.size(); i++) {
                    assertBitIdentical(before.get(i), during.get(i), "unmoved");
                }
            }
        }
    }

    @Test
    void configurationDefaultsAndErrorsNameTheField() {
        assertEquals(new WeightPerturbationConfig("awp", 0.01, 1, Double.POSITIVE_INFINITY),
                WeightPerturbationConfig.awp());
        assertEquals(new WeightPerturbationConfig("rwp", 0.01, 10, 1.7), WeightPerturbationConfig.rwp());
        assertEquals(WeightPerturbationConfig.rwp(), WeightPerturbationConfig.of("RWP", null, null, null));
        assertFalse(WeightPerturbationConfig.awp().selectsExamples());
        assertTrue(WeightPerturbationConfig.rwp().selectsExamples());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WeightPerturbationConfig.of("sam", null, null,
                null)).getMessage().contains("weightPerturbation.type"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WeightPerturbationConfig.of("awp", 0.0, null,
                null)).getMessage().contains("weightPerturbation.gamma"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WeightPerturbationConfig.of("rwp", null, 0,
                null)).getMessage().contains("weightPerturbation.steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WeightPerturbationConfig.of("rwp", null, null,
                -1.0)).getMessage().contains("weightPerturbation.lossThreshold"));
    }

    private static float[] gradients(Classifier model, NDList prepared, NDArray labels) {
        try (GradientScope gradients = GradientScope.open()) {
            gradients.backward(PGD_AT.loss(model, prepared, labels).loss());
        }
        float[] values = readGradients(model);
        zeroGradients(model);
        return values;
    }

    private static float[] readGradients(Classifier model) {
        List<Float> all = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.requiresGradient()) {
                for (float g : parameter.getArray().getGradient().toFloatArray()) {
                    all.add(g);
                }
            }
        }
        float[] values = new float[all.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = all.get(i);
        }
        return values;
    }

    private static void zeroGradients(Classifier model) {
        for (Parameter parameter : model.parameters()) {
            if (parameter.requiresGradient()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.subi(gradient);
                gradient.close();
            }
        }
    }

    private static NDArray labels(NDManager manager, int n, int classes) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return manager.create(y);
    }

    private static List<float[]> values(List<Parameter> parameters) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : parameters) {
            values.add(parameter.getArray().toFloatArray());
        }
        return values;
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static void assertBitIdentical(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " [" + i
                    + "]");
        }
    }
}
