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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Pgd#perturbFrom}: the given start, projected, then PGD's steps; from x it is PGD without random start. */
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
}
