package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Pgd#perturbFrom}: the given start, projected, then PGD's steps; from x it is PGD without random start; with
 * a radius per example each row stays in its own ball.
 */
class PgdFromStartTest {

    @Test
    void theStartIsProjectedOntoTheBallAndTheBox() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 2, 5L, manager)) {
            NDArray x = manager.create(new float[] {0f, 0.5f, 1f, 0.2f, 0.95f, 0.05f}, new Shape(2, 3));
            NDArray y = manager.create(new long[] {0, 1});
            NDArray start = manager.create(new float[] {-0.3f, 0.58f, 1.2f, 0.1f, 1f, 0.05f}, new Shape(2, 3));
            Pgd linf = Pgd.builder().setEpsilon(0.1).setStepSize(0.05).optSteps(0).build();
            // l∞: clip to [max(x − ε, 0), min(x + ε, 1)] per coordinate
            assertArrayEquals(new float[] {0f, 0.58f, 1f, 0.1f, 1f, 0.05f},
                    linf.perturbFrom(model, x, start, y).toFloatArray(), 1e-6f);
            Pgd l2 = Pgd.builder().setEpsilon(0.1).setStepSize(0.05).optSteps(0).optNorm(Norm.L2).build();
            // l2, row 2: δ = (−0.1, 0.05, 0), ‖δ‖ = √0.0125 > 0.1: rescaled onto the sphere
            float[] projected = l2.perturbFrom(model, x, start, y).toFloatArray();
            double scale = 0.1 / Math.sqrt(0.0125);
            assertEquals(0.2 - 0.1 * scale, projected[3], 1e-6);
            assertEquals(0.95 + 0.05 * scale, projected[4], 1e-6);
            assertEquals(0.05, projected[5], 1e-6);
        }
    }

    @Test
    void fromTheCleanPointItIsPgdWithoutRandomStart() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 2, 6L, manager)) {
            NDArray x = manager.create(new float[] {0.3f, 0.5f, 0.7f, 0.2f, 0.9f, 0.4f}, new Shape(2, 3));
            NDArray y = manager.create(new long[] {0, 1});
            Pgd fixed = Pgd.builder().setEpsilon(0.1).setStepSize(0.03).optSteps(5).optRandomStart(false).build();
            assertArrayEquals(fixed.perturb(model, x, y, Seeds.stream(1, "unused")).toFloatArray(),
                    fixed.perturbFrom(model, x, x, y).toFloatArray());
            assertThrows(IllegalArgumentException.class,
                    () -> fixed.perturbFrom(model, x, manager.zeros(new Shape(1, 3)), y));
        }
    }

    @Test
    void aRadiusPerExampleBoundsEachRowByItsOwnBallAndTheBox() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 2, 5L, manager)) {
            NDArray x = manager.create(new float[] {0.5f, 0.5f, 0.5f, 0.2f, 0.95f, 0.05f, 0.4f, 0.6f, 0.8f},
                    new Shape(3, 3));
            NDArray y = manager.create(new long[] {0, 1, 0});
            NDArray start = manager.create(new float[] {0.9f, 0.1f, 0.52f, -0.5f, 1.5f, 0.3f, 0.3f, 0.7f, 0.8f},
                    new Shape(3, 3));
            Pgd linf = Pgd.builder().setEpsilon(0.1).setStepSize(0.05).optSteps(0).build();
            // row 0 in B_0.2, row 1 in B_2 (the box is the only bound), row 2 in B_0 (x itself)
            assertArrayEquals(new float[] {0.7f, 0.3f, 0.52f, 0f, 1f, 0.3f, 0.4f, 0.6f, 0.8f},
                    linf.perturbFrom(model, x, start, y, new float[] {0.2f, 2f, 0f}).toFloatArray(), 1e-6f);
            Pgd stepping = Pgd.builder().setEpsilon(0.1).setStepSize(0.5).optSteps(3).build();
            float[] moved = stepping.perturbFrom(model, x, x, y, new float[] {0.2f, 0.05f, 0f}).toFloatArray();
            double[] radius = {0.2, 0.05, 0};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double distance = Math.abs(moved[3 * i + j] - x.toFloatArray()[3 * i + j]);
                    assertTrue(distance <= radius[i] + 1e-6, "row " + i + " leaves its ball: " + distance);
                }
            }
            float[] same = new float[] {0.1f, 0.1f, 0.1f};
            Pgd ten = Pgd.builder().setEpsilon(0.1).setStepSize(0.03).optSteps(4).build();
            assertArrayEquals(ten.perturbFrom(model, x, start, y).toFloatArray(),
                    ten.perturbFrom(model, x, start, y, same).toFloatArray(), 1e-7f, "one radius for all is ε");
        }
    }

    @Test
    void aRadiusPerExampleIsCheckedAndNeedsLinf() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.MLP, 8), new Shape(3), 2, 5L, manager)) {
            NDArray x = manager.full(new Shape(2, 3), 0.5f);
            NDArray y = manager.create(new long[] {0, 1});
            Pgd linf = Pgd.builder().setEpsilon(0.1).setStepSize(0.05).optSteps(1).build();
            assertMessage("epsilon has 1 radii for a batch of 2",
                    () -> linf.perturbFrom(model, x, x, y, new float[] {0.1f}));
            assertMessage("epsilon must be a number ≥ 0 per example, got -0.1",
                    () -> linf.perturbFrom(model, x, x, y, new float[] {0.1f, -0.1f}));
            assertMessage("epsilon must be a number ≥ 0 per example, got NaN",
                    () -> linf.perturbFrom(model, x, x, y, new float[] {Float.NaN, 0.1f}));
            Pgd l2 = Pgd.builder().setEpsilon(0.1).setStepSize(0.05).optNorm(Norm.L2).build();
            assertMessage("a radius per example needs the l∞ norm, this PGD is l2",
                    () -> l2.perturbFrom(model, x, x, y, new float[] {0.1f, 0.1f}));
        }
    }

    private static void assertMessage(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
