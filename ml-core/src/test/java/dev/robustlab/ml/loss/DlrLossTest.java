package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DLR and targeted DLR against values computed by hand from METHODS.md's formulas. */
class DlrLossTest {
    // Row 0: z = (2, −1, 0.5, 0), sorted decreasingly 2, 0.5, 0, −1: z_π1 = 2, z_π3 = 0, z_π4 = −1.
    // Row 1: z = (1, 4, 3, −2), sorted decreasingly 4, 3, 1, −2: z_π1 = 4, z_π3 = 1, z_π4 = −2.
    private static final float[] Z = {2f, -1f, 0.5f, 0f, 1f, 4f, 3f, -2f};

    @Test
    void untargetedMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray logits = manager.create(Z, new Shape(2, 4));
            float[] correct = LogitLoss.dlr().perExample(logits, manager.create(new long[] {0, 2})).toFloatArray();
            // y = 0: −(2 − 0.5) / (2 − 0) = −0.75 (classified correctly: negative)
            assertEquals(-0.75, correct[0], 1e-6);
            // y = 2: −(3 − 4) / (4 − 1) = 1/3 (misclassified: positive)
            assertEquals(1.0 / 3, correct[1], 1e-6);
            float[] other = LogitLoss.dlr().perExample(logits, manager.create(new long[] {2, 1})).toFloatArray();
            // y = 2: −(0.5 − 2) / 2 = 0.75;  y = 1: −(4 − 3) / 3 = −1/3
            assertEquals(0.75, other[0], 1e-6);
            assertEquals(-1.0 / 3, other[1], 1e-6);
        }
    }

    @Test
    void targetedMatchesHandComputedValues() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray logits = manager.create(Z, new Shape(2, 4));
            NDArray labels = manager.create(new long[] {0, 2});
            NDArray targets = manager.create(new long[] {3, 0});
            float[] values = LogitLoss.targetedDlr(targets).perExample(logits, labels).toFloatArray();
            // y = 0, t = 3: −(2 − 0) / (2 − ½(0 + (−1))) = −2 / 2.5 = −0.8
            assertEquals(-0.8, values[0], 1e-6);
            // y = 2, t = 0: −(3 − 1) / (4 − ½(1 + (−2))) = −2 / 4.5
            assertEquals(-2 / 4.5, values[1], 1e-6);
        }
    }

    @Test
    void isInvariantToShiftAndPositiveScaleOfTheLogits() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray logits = manager.create(Z, new Shape(2, 4));
            NDArray labels = manager.create(new long[] {0, 2});
            float[] plain = LogitLoss.dlr().perExample(logits, labels).toFloatArray();
            float[] moved = LogitLoss.dlr().perExample(logits.mul(7f).add(-3f), labels).toFloatArray();
            assertEquals(plain[0], moved[0], 1e-5);
            assertEquals(plain[1], moved[1], 1e-5);
        }
    }

    @Test
    void refusesTooFewClasses() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray two = manager.create(new float[] {1f, 2f}, new Shape(1, 2));
            NDArray three = manager.create(new float[] {1f, 2f, 3f}, new Shape(1, 3));
            NDArray label = manager.create(new long[] {0});
            assertThrows(IllegalArgumentException.class, () -> DlrLoss.untargeted(two, label));
            assertThrows(IllegalArgumentException.class, () -> DlrLoss.targeted(three, label, label));
        }
    }
}
