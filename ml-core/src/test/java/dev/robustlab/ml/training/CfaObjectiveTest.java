package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.robustlab.ml.training.ObjectivesPythonTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CFA by hand: calibration from start_epoch, the loss of a model that outputs its input, FAWA and checkpoints. */
class CfaObjectiveTest {

    @Test
    void classWiseRadiusAndWeightFollowLastEpochsRobustAccuracyFromStartEpoch() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.025).setSteps(3).optStartEpoch(2)
                .build();
        assertEquals(0.1, cfa.classEpsilon(0), 1e-15, "before any epoch: ε");
        assertEquals(6.0 / 7, cfa.classBeta(0), 1e-15, "before any epoch: β/(1 + β)");
        cfa.epochEnded(context(1, new long[] {8, 2, 0}, new long[] {10, 10, 0}));
        assertArrayEquals(new double[] {0.8, 0.2, Double.NaN}, cfa.robustAccuracy(), 1e-15);
        assertEquals(0.1, cfa.classEpsilon(0), 1e-15, "epoch index 1 < start_epoch 2: unchanged");
        cfa.epochEnded(context(2, new long[] {8, 2, 0}, new long[] {10, 10, 0}));
        assertEquals((0.5 + 0.8) * 0.1, cfa.classEpsilon(0), 1e-15, "ε_0 = (λ₁ + r_0)·ε");
        assertEquals((0.5 + 0.2) * 0.1, cfa.classEpsilon(1), 1e-15);
        assertEquals(0.1, cfa.classEpsilon(2), 1e-15, "a class without examples keeps ε");
        assertEquals(1.3 * 6 / (1 + 1.3 * 6), cfa.classBeta(0), 1e-15, "β_0 = (λ₂ + r_0)β / (1 + (λ₂ + r_0)β)");
        assertEquals(0.7 * 6 / (1 + 0.7 * 6), cfa.classBeta(1), 1e-15);
        assertEquals(6.0 / 7, cfa.classBeta(2), 1e-15);
    }

    /**
     * Identity model, classes 0 and 1 with r = (1, 0), λ₂ = 0.5, β = 6: β_0 = 9/10, β_1 = 3/4. Example 0 (y = 0):
     * p(x) = (3/4, 1/4), p(x') = (1/2, 1/2); example 1 (y = 1): p(x) = (1/2, 1/2), p(x') = (3/4, 1/4).
     */
    @Test
    void lossOfAHandMadeCase() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.025).setSteps(3).optStartEpoch(0)
                .optThreshold(1).build();
        cfa.epochEnded(context(1, new long[] {4, 0}, new long[] {4, 4}));
        try (NDManager manager = MlEngine.newBaseManager(); Classifier identity = TinyModels.identity(2, manager)) {
            float l3 = (float) Math.log(3);
            NDList prepared = new NDList(manager.create(new float[] {l3, 0, 0, 0}, new Shape(2, 2)),
                    manager.create(new float[] {0, 0, l3, 0}, new Shape(2, 2)));
            NDArray labels = manager.create(new long[] {0, 1});
            double first = 0.1 * Math.log(4.0 / 3) + 0.9 * (0.75 * Math.log(1.5) + 0.25 * Math.log(0.5));
            double second = 0.25 * Math.log(2) + 0.75 * (0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2));
            TrainingObjective.Value value = cfa.loss(identity, prepared, labels);
            assertEquals(0.5 * (first + second), value.loss().getFloat(), 1e-6);
            assertArrayEquals(new float[] {0, 0, l3, 0}, value.logits().toFloatArray(), "the adversarial logits");
            assertEquals(0.5 * first, cfa.maskedLoss(identity, prepared, labels, new boolean[] {true, false}).loss()
                    .getFloat(), 1e-6);
        }
    }

    @Test
    void theAttackUsesEachExamplesClassRadius() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.05).setSteps(5).optStartEpoch(0)
                .optThreshold(1).build();
        cfa.epochEnded(context(1, new long[] {10, 0}, new long[] {10, 10}));
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withBatchNorm(4, 8, 2, 9L, DataType.FLOAT32, manager)) {
            NDArray x = manager.full(new Shape(4, 4), 0.5f);
            NDArray labels = manager.create(new long[] {0, 1, 0, 1});
            NDList prepared = cfa.prepare(model, x, labels, Seeds.stream(2, "cfa"));
            float[] adversarial = prepared.get(1).toFloatArray();
            for (int i = 0; i < 4; i++) {
                double radius = i % 2 == 0 ? 0.15 : 0.05;
                double furthest = 0;
                for (int j = 0; j < 4; j++) {
                    furthest = Math.max(furthest, Math.abs(adversarial[4 * i + j] - 0.5));
                }
                assertTrue(furthest <= radius + 1e-6 && furthest > radius - 1e-6,
                        "example " + i + " moves to its class radius " + radius + ", got " + furthest);
            }
        }
    }

    @Test
    void checkpointsCarryTheFairnessAwareAverageOnceItExists() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.025).setSteps(3).optStartEpoch(1)
                .optThreshold(0.3).optDecay(0.88).build();
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withBatchNorm(3, 4, 2, 5L, DataType.FLOAT32, manager)) {
            List<Parameter> parameters = model.parameters();
            List<float[]> theta1 = values(model);
            cfa.epochEnded(new EpochContext(1, model, new long[] {9, 9}, new long[] {10, 10}));
            assertEquals(0, cfa.averageUpdates(), "epoch index 0 < start_epoch 1: no average");
            assertNull(cfa.withCheckpointWeights(model, () -> null));

            cfa.epochEnded(new EpochContext(2, model, new long[] {5, 9}, new long[] {10, 10}));
            assertEquals(1, cfa.averageUpdates(), "worst class 0.5 ≥ 0.3: the average starts at θ");
            shift(model, 0.25f);
            cfa.epochEnded(new EpochContext(3, model, new long[] {1, 9}, new long[] {10, 10}));
            assertEquals(1, cfa.averageUpdates(), "worst class 0.1 < 0.3: the average stays");
            shift(model, 0.5f);
            List<float[]> theta3 = values(model);
            cfa.epochEnded(new EpochContext(4, model, new long[] {4, 9}, new long[] {10, 10}));
            assertEquals(2, cfa.averageUpdates());

            List<float[]> inCheckpoint = cfa.withCheckpointWeights(model, () -> values(model));
            for (int i = 0; i < parameters.size(); i++) {
                float[] expected = new float[theta1.get(i).length];
                for (int j = 0; j < expected.length; j++) {
                    expected[j] = (float) (0.88 * theta1.get(i)[j] + 0.12 * theta3.get(i)[j]);
                }
                assertArrayEquals(expected, inCheckpoint.get(i), 1e-6f, parameters.get(i).getName());
            }
            List<float[]> after = values(model);
            for (int i = 0; i < parameters.size(); i++) {
                assertBitIdentical(theta3.get(i), after.get(i), "trained " + parameters.get(i).getName());
            }
        }
    }

    @Test
    void refusesBadParameters() {
        for (var bad : List.<Runnable>of(
                () -> CfaObjective.builder().setStepSize(0.1).setSteps(1).build(),
                () -> CfaObjective.builder().setEpsilon(0.1).setStepSize(0.1).setSteps(1).optDecay(1).build(),
                () -> CfaObjective.builder().setEpsilon(0.1).setStepSize(0.1).setSteps(1).optLambda1(-1).build(),
                () -> CfaObjective.builder().setEpsilon(0.1).setStepSize(0.1).setSteps(1).optStartEpoch(-1).build(),
                () -> CfaObjective.builder().setEpsilon(0.1).setStepSize(0.1).setSteps(1).optThreshold(2).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().startsWith("cfa: "), e.getMessage());
        }
    }

    private static EpochContext context(int epoch, long[] correct, long[] examples) {
        return new EpochContext(epoch, null, correct, examples);
    }

    private static List<float[]> values(Classifier model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            values.add(parameter.getArray().toFloatArray());
        }
        return values;
    }

    private static void shift(Classifier model, float by) {
        for (Parameter parameter : model.parameters()) {
            try (NDManager scratch = model.manager().newSubManager()) {
                NDArray moved = ParameterValues.copy(parameter.getArray(), scratch).addi(by);
                ParameterValues.assign(parameter, moved);
            }
        }
    }
}
