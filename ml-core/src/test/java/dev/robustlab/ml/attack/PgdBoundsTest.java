package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adversarial examples stay in B_ε(x) ∩ [0,1]^d, and the attacked model is left as it was. */
class PgdBoundsTest {

    @Test
    void perturbationsStayInsideTheBallAndTheBox() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 16), new Shape(3), 2, 5L, manager)) {
            SplittableRandom random = Seeds.stream(9, "inputs");
            int n = 200;
            float[] x = new float[n * 3];
            long[] y = new long[n];
            for (int i = 0; i < x.length; i++) {
                double u = random.nextDouble();
                // a third of the coordinates on or next to the box edges
                x[i] = (float) (u < 0.15 ? 0 : u > 0.85 ? 1 : u < 0.3 ? 0.01 : random.nextDouble());
            }
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(2);
            }
            for (LogitLoss loss : List.of(LogitLoss.crossEntropy(), LogitLoss.cwMargin())) {
                for (double epsilon : new double[] {0.03, 0.3}) {
                    Attack attack = Pgd.builder().setEpsilon(epsilon).setStepSize(epsilon / 2).optSteps(7)
                            .optLoss(loss).build();
                    NDArray xs = manager.create(x, new Shape(n, 3));
                    NDArray ys = manager.create(y);
                    float[] adversarial = attack.perturb(model, xs, ys, random).toFloatArray();
                    double largest = 0;
                    for (int i = 0; i < x.length; i++) {
                        assertTrue(adversarial[i] >= 0f && adversarial[i] <= 1f, "inside [0,1]: " + adversarial[i]);
                        largest = Math.max(largest, Math.abs(adversarial[i] - x[i]));
                    }
                    assertTrue(largest <= epsilon + 1e-6, "inside the ε-ball: " + largest + " > " + epsilon);
                    assertTrue(largest > epsilon / 2, "the attack moved the inputs: " + largest);
                }
            }
        }
    }

    @Test
    void leavesParametersAndTheirGradientFlagsAsTheyWere() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 2, 6L, manager)) {
            List<float[]> before = values(model);
            for (Parameter parameter : model.parameters()) {
                assertTrue(parameter.requiresGradient());
            }
            NDArray xs = manager.create(new float[] {0.2f, 0.5f, 0.7f, 0.9f, 0.1f, 0.4f}, new Shape(2, 3));
            NDArray ys = manager.create(new long[] {0, 1});
            Pgd.builder().setEpsilon(0.1).setStepSize(0.05).build().perturb(model, xs, ys, Seeds.stream(1, "x"));
            List<float[]> after = values(model);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i));
            }
            for (Parameter parameter : model.parameters()) {
                assertTrue(parameter.requiresGradient(), parameter.getName());
                assertTrue(parameter.getArray().hasGradient(), parameter.getName());
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    assertEquals(0f, gradient.abs().sum().getFloat(), "no gradient leaked into " + parameter.getName());
                }
            }
        }
    }

    @Test
    void refusesBadArguments() {
        assertFalse(isAccepted(() -> Pgd.builder().setEpsilon(0).setStepSize(0.1).build()));
        assertFalse(isAccepted(() -> Pgd.builder().setEpsilon(1.5).setStepSize(0.1).build()));
        assertFalse(isAccepted(() -> Pgd.builder().setEpsilon(0.1).setStepSize(-1).build()));
        assertFalse(isAccepted(() -> Pgd.builder().setEpsilon(0.1).build()));
        assertFalse(isAccepted(() -> Attacks.evaluation("cw-inf", "l2", 0.1, 0.1)));
        assertFalse(isAccepted(() -> Attacks.evaluation("fab", "linf", 0.1, 0.1)));
        assertTrue(isAccepted(() -> Attacks.evaluation("pgd-20", "l2", 0.1, 0.1)));
        assertTrue(isAccepted(() -> Attacks.evaluation("cw-inf", "linf", 0.1, 0.025)));
    }

    private static boolean isAccepted(Runnable build) {
        try {
            build.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<float[]> values(Classifier model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            values.add(parameter.getArray().toFloatArray());
        }
        return values;
    }
}
