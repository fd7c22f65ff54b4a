package dev.robustlab.ml.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.AugmentationSpec;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random crop with zero padding and horizontal flip, checked against the definition written out the long way: pad the
 * image with p zeros on every side, cut the window at (i, j), mirror it.
 */
class AugmentationTest {
    private static final int C = 2;
    private static final int H = 4;
    private static final int W = 5;

    /** Image n: every value distinct and nonzero, so that a zero can only come from the padding. */
    private static float value(int n, int c, int h, int w) {
        return 1 + n * 1000 + c * 100 + h * 10 + w;
    }

    private static float[] images(int count) {
        float[] x = new float[count * C * H * W];
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < C; c++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        x[((n * C + c) * H + h) * W + w] = value(n, c, h, w);
                    }
                }
            }
        }
        return x;
    }

    /** The long way: a (H + 2p) × (W + 2p) zero-padded copy, the window at (i, j), then the mirror image. */
    private static float expected(int n, int c, int y, int x, int p, int i, int j, boolean mirror) {
        float[][] padded = new float[H + 2 * p][W + 2 * p];
        for (int h = 0; h < H; h++) {
            for (int w = 0; w < W; w++) {
                padded[h + p][w + p] = value(n, c, h, w);
            }
        }
        int column = mirror ? W - 1 - x : x;
        return padded[i + y][j + column];
    }

    @Test
    void cropAndFlipAreTheDefinition() {
        int count = 300;
        int p = 2;
        float[] x = images(count);
        Augmentation augmentation = Augmentation.of(new AugmentationSpec(true, p, true));
        augmentation.apply(x, count, C, H, W, new SplittableRandom(4));
        SplittableRandom draws = new SplittableRandom(4);
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < count; n++) {
            int i = draws.nextInt(2 * p + 1);
            int j = draws.nextInt(2 * p + 1);
            boolean mirror = draws.nextBoolean();
            seen.add(i + "," + j + "," + mirror);
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int w = 0; w < W; w++) {
                        assertEquals(expected(n, c, y, w, p, i, j, mirror), x[((n * C + c) * H + y) * W + w], 0f,
                                "image " + n + " (" + c + ", " + y + ", " + w + ") at i=" + i + " j=" + j + " flip="
                                        + mirror);
                    }
                }
            }
        }
        assertEquals(5 * 5 * 2, seen.size(), "every offset and both flips occur in 300 draws");
    }

    @Test
    void flipAloneMirrorsAboutHalfTheImagesAndCropsNothing() {
        int count = 400;
        float[] x = images(count);
        Augmentation.of(new AugmentationSpec(false, null, true)).apply(x, count, C, H, W, new SplittableRandom(9));
        int mirrored = 0;
        for (int n = 0; n < count; n++) {
            boolean flipped = x[n * C * H * W] == value(n, 0, 0, W - 1);
            assertTrue(flipped || x[n * C * H * W] == value(n, 0, 0, 0));
            mirrored += flipped ? 1 : 0;
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int w = 0; w < W; w++) {
                        assertEquals(value(n, c, y, flipped ? W - 1 - w : w), x[((n * C + c) * H + y) * W + w], 0f);
                    }
                }
            }
        }
        assertTrue(mirrored > 150 && mirrored < 250, mirrored + " of 400 mirrored");
    }

    @Test
    void batchesAreSeededKeepTheirLabelsAndNoneChangesNothing() {
        byte[] pixels = new byte[6 * 3 * 8 * 8];
        new SplittableRandom(1).nextBytes(pixels);
        LabeledExamples examples = LabeledExamples.ofPixels(pixels, new int[]{0, 1, 2, 3, 4, 5}, new Shape(3, 8, 8),
                10);
        int[] indices = {5, 0, 3};
        Augmentation augmentation = Augmentation.of(new AugmentationSpec(true, 4, true));
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDList a = augmentation.batch(examples, manager, indices, new SplittableRandom(2));
            NDList b = augmentation.batch(examples, manager, indices, new SplittableRandom(2));
            NDList c = augmentation.batch(examples, manager, indices, new SplittableRandom(3));
            NDList plain = examples.batch(manager, indices);
            assertEquals(new Shape(3, 3, 8, 8), a.get(0).getShape());
            assertArrayEquals(a.get(0).toFloatArray(), b.get(0).toFloatArray(), 0f);
            assertFalse(java.util.Arrays.equals(a.get(0).toFloatArray(), c.get(0).toFloatArray()));
            assertArrayEquals(plain.get(1).toLongArray(), a.get(1).toLongArray());
            assertArrayEquals(new long[]{5, 0, 3}, a.get(1).toLongArray());
            NDList none = Augmentation.of(new AugmentationSpec(false, null, false)).batch(examples, manager, indices,
                    new SplittableRandom(2));
            assertArrayEquals(plain.get(0).toFloatArray(), none.get(0).toFloatArray(), 0f);
            assertFalse(Augmentation.of(null).enabled());
        }
    }

    @Test
    void onlyImagesAreAugmented() {
        LabeledExamples points = new LabeledExamples(new float[]{1, 2, 3, 4, 5, 6}, new int[]{0, 1}, new Shape(3), 2);
        try (NDManager manager = MlEngine.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.of(
                    new AugmentationSpec(false, null, true)).batch(points, manager, new int[]{0, 1},
                    new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("(channels, height, width)"), e.getMessage());
        }
        for (AugmentationSpec bad : List.of(new AugmentationSpec(true, null, false),
                new AugmentationSpec(true, 0, false))) {
            assertThrows(IllegalArgumentException.class, () -> Augmentation.of(bad));
        }
    }
}
