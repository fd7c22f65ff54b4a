package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.robustlab.ml.training.ObjectivesPythonTest.assertBitIdentical;
import static dev.robustlab.ml.training.SqueezeRoles.ADVERSARIAL;
import static dev.robustlab.ml.training.SqueezeRoles.COLLABORATIVE;
import static dev.robustlab.ml.training.SqueezeRoles.NATURAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Squeeze Training by hand: roles, the loss of a model that outputs its input; ball and BatchNorm. */
class SqueezeTrainingTest {
    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);

    @Test
    void rolesGoToTheLowestAndHighestTrueClassProbabilityWithTiesToTheFirstPoint() {
        SqueezeRoles roles = SqueezeRoles.choose(
                new float[] {0.5f, 0.1f, 0.4f, 0.6f, 0.2f},
                new float[] {0.2f, 0.5f, 0.4f, 0.3f, 0.7f},
                new float[] {0.9f, 0.3f, 0.4f, 0.3f, 0.7f});
        assertArrayEquals(new int[] {COLLABORATIVE, NATURAL, NATURAL, COLLABORATIVE, NATURAL}, roles.upper());
        assertArrayEquals(new int[] {ADVERSARIAL, COLLABORATIVE, NATURAL, NATURAL, COLLABORATIVE}, roles.lower());
        assertTrue(roles.uses(NATURAL) && roles.uses(COLLABORATIVE) && roles.uses(ADVERSARIAL));
        SqueezeRoles noNatural = SqueezeRoles.choose(new float[] {0.5f}, new float[] {0.2f}, new float[] {0.9f});
        assertFalse(noNatural.uses(NATURAL));
    }

    /**
     * A model that outputs its input (identity weights), so the points are logits: example 0 (y = 0) has
     * p_y = 1/2 at x, 3/4 at x_col, 1/4 at x_adv (upper x_adv, lower x_col); example 1 (y = 1) has 1/4 at x,
     * 1/2 at x_col, 3/4 at x_adv (upper x, lower x_adv). Both pairs are {(1/4, 3/4), (3/4, 1/4)}: symmetric KL
     * ½ ln 3, JS ¼ ln ½ + ¾ ln 3/2, squared l2 ½; the cross-entropies at x are ln 2 and ln 4.
     */
    @Test
    void lossOfAHandMadeCaseWithEachRegulariser() {
        double[] regulariser = {0.5 * LN3, 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), 0.5};
        SqueezeTrainingObjective.Regularizer[] kinds = SqueezeTrainingObjective.Regularizer.values();
        for (int r = 0; r < kinds.length; r++) {
            try (NDManager manager = MlEngine.newBaseManager(); Classifier identity = TinyModels.identity(2, manager)) {
                float l3 = (float) LN3;
                NDList points = new NDList(
                        manager.create(new float[] {0, 0, l3, 0}, new Shape(2, 2)),
                        manager.create(new float[] {l3, 0, 0, 0}, new Shape(2, 2)),
                        manager.create(new float[] {0, l3, 0, l3}, new Shape(2, 2)));
                NDArray labels = manager.create(new long[] {0, 1});
                SqueezeTrainingObjective st = new SqueezeTrainingObjective(kinds[r], 6, 0.1, 0.01, 1);
                TrainingObjective.Value value = st.loss(identity, points, labels);
                double expected = 0.5 * (LN2 + 2 * LN2) + 6 * regulariser[r];
                assertEquals(expected, value.loss().getFloat(), 1e-5, kinds[r].id());
                // the reported logits are the upper points': x_adv's row for example 0, x's for example 1
                assertArrayEquals(new float[] {0, l3, l3, 0}, value.logits().toFloatArray(), 1e-6f);
                boolean[] onlySecond = {false, true};
                double masked = 0.5 * (2 * LN2 + 6 * regulariser[r]);
                assertEquals(masked, st.maskedLoss(identity, points, labels, onlySecond).loss().getFloat(), 1e-5);
            }
        }
    }

    @Test
    void generatedPointsStayInTheBallAndTheBoxAndRunningStatisticsDoNotMove() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = SeededModels.withBatchNorm(6, 10, 3, 3L, DataType.FLOAT32, manager)) {
            SplittableRandom data = new SplittableRandom(4);
            NDArray x = SeededModels.uniform(manager, data, 0, 1, DataType.FLOAT32, 16, 6);
            // examples on the box's faces, so that projection onto [0,1] matters
            x.set(new ai.djl.ndarray.index.NDIndex("0:2"), 0f);
            x.set(new ai.djl.ndarray.index.NDIndex("2:4"), 1f);
            long[] y = new long[16];
            for (int i = 0; i < y.length; i++) {
                y[i] = i % 3;
            }
            NDArray labels = manager.create(y);
            model.logits(x, true); // move the running statistics away from their initial values
            List<float[]> before = statistics(model);
            double epsilon = 0.08;
            SqueezeTrainingObjective st = new SqueezeTrainingObjective(
                    SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL, 6, epsilon, 0.03, 5);
            NDList prepared = st.prepare(model, x, labels, Seeds.stream(1, "st-test"));
            List<float[]> after = statistics(model);
            for (int i = 0; i < before.size(); i++) {
                assertBitIdentical(before.get(i), after.get(i), "running statistic " + i);
            }
            assertEquals(3, prepared.size());
            assertTrue(prepared.get(0) == x, "the clean batch comes first");
            float[] clean = x.toFloatArray();
            for (int p = 1; p <= 2; p++) {
                float[] point = prepared.get(p).toFloatArray();
                double furthest = 0;
                for (int i = 0; i < clean.length; i++) {
                    assertTrue(point[i] >= 0 && point[i] <= 1, "in the box: " + point[i]);
                    furthest = Math.max(furthest, Math.abs(point[i] - clean[i]));
                }
                assertTrue(furthest <= epsilon + 1e-6, "in the ball: " + furthest);
                assertTrue(furthest > epsilon / 2, "the points moved: " + furthest);
            }
            for (Parameter parameter : model.parameters()) {
                if (parameter.requiresGradient()) {
                    float[] gradient = parameter.getArray().getGradient().toFloatArray();
                    for (float g : gradient) {
                        assertEquals(0f, g, "the generation leaves no parameter gradient: " + parameter.getName());
                    }
                }
            }
        }
    }

    @Test
    void refusesBadArguments() {
        var kl = SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL;
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SqueezeTrainingObjective(kl, -1, 0.1, 0.01, 10)).getMessage().contains("beta"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SqueezeTrainingObjective(kl, 6, 0, 0.01, 10)).getMessage().contains("epsilon"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SqueezeTrainingObjective(kl, 6, 0.1, 0, 10)).getMessage().contains("stepSize"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SqueezeTrainingObjective(kl, 6, 0.1, 0.01, -1)).getMessage().contains("steps"));
        assertThrows(IllegalArgumentException.class, () -> SqueezeTrainingObjective.Regularizer.of("trades"));
        assertEquals(SqueezeTrainingObjective.Regularizer.JENSEN_SHANNON,
                SqueezeTrainingObjective.Regularizer.of("st-js"));
    }

    private static List<float[]> statistics(Classifier model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (RunningStatistics.isRunningStatistic(parameter)) {
                values.add(parameter.getArray().toFloatArray());
            }
        }
        assertEquals(2, values.size());
        return values;
    }
}
