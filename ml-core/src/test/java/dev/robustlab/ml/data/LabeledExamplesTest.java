package dev.robustlab.ml.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabeledExamplesTest {
    /** Three examples of shape (1, 2, 2) whose pixels cover 0, 255 and values between. */
    private static final byte[] PIXELS = {0, 1, (byte) 128, (byte) 255, 10, 20, 30, 40, (byte) 200, 7, 8, 9};
    private static final int[] LABELS = {2, 0, 1};

    private static float[] scaled() {
        float[] x = new float[PIXELS.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = (PIXELS[k] & 0xFF) / 255f;
        }
        return x;
    }

    @Test
    void pixelsBehaveAsTheirValuesOver255() {
        LabeledExamples pixels = LabeledExamples.ofPixels(PIXELS, LABELS, new Shape(1, 2, 2), 3);
        LabeledExamples floats = new LabeledExamples(scaled(), LABELS, new Shape(1, 2, 2), 3);
        assertArrayEquals(new float[] {0f, 1 / 255f, 128 / 255f, 1f}, pixels.features(0), 0f);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(floats.features(i), pixels.features(i), 0f);
            assertEquals(floats.label(i), pixels.label(i));
        }
        LabeledExamples slice = pixels.slice(1, 2);
        assertEquals(2, slice.size());
        assertArrayEquals(floats.features(2), slice.features(1), 0f);
        assertEquals(1, slice.label(1));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = pixels.batch(manager, new int[] {2, 0});
            NDList expected = floats.batch(manager, new int[] {2, 0});
            assertEquals(new Shape(2, 1, 2, 2), batch.get(0).getShape());
            assertEquals(DataType.FLOAT32, batch.get(0).getDataType());
            assertArrayEquals(expected.get(0).toFloatArray(), batch.get(0).toFloatArray(), 0f);
            assertArrayEquals(new long[] {1, 2}, batch.get(1).toLongArray());
        }
    }

    @Test
    void copiesThePixelsAndChecksThem() {
        byte[] mine = PIXELS.clone();
        LabeledExamples pixels = LabeledExamples.ofPixels(mine, LABELS, new Shape(1, 2, 2), 3);
        mine[0] = 100;
        assertEquals(0f, pixels.features(0)[0], 0f);
        assertThrows(IllegalArgumentException.class,
                () -> LabeledExamples.ofPixels(PIXELS, LABELS, new Shape(1, 3, 3), 3));
        assertThrows(IllegalArgumentException.class,
                () -> LabeledExamples.ofPixels(PIXELS, new int[] {0, 3, 1}, new Shape(1, 2, 2), 3));
    }
}
