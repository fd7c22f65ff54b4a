package dev.robustlab.ml.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.AugmentationSpec;

import java.util.SplittableRandom;

/**
 * Augmentation of training images {@code (C, H, W)}, drawn afresh for every batch from a seeded stream, as
 * torchvision's {@code RandomCrop(size, padding=p)} followed by {@code RandomHorizontalFlip()} (the papers' CIFAR
 * setting, p = 4):
 * <pre>
 *   crop:  out[c][y][x] = in[c][y + i − p][x + j − p]   (0 outside the image: zero padding),
 *          i, j drawn uniformly from {0, …, 2p}
 *   flip:  out[c][y][x] = in[c][y][W − 1 − x]           with probability ½
 * </pre>
 * For each example of a batch, in batch order, the draws are: i, j (crop only), then the flip (flip only).
 */
public final class Augmentation {
    /** No augmentation: batches are the examples as they are. */
    public static final Augmentation NONE = new Augmentation(false, 0, false);

    private final boolean crop;
    private final int padding;
    private final boolean flip;

    private Augmentation(boolean crop, int padding, boolean flip) {
        this.crop = crop;
        this.padding = padding;
        this.flip = flip;
    }

    /**
     * The augmentation {@code spec} (with its defaults) asks for.
     *
     * @throws IllegalArgumentException on a crop without a padding ≥ 1
     */
    public static Augmentation of(AugmentationSpec spec) {
        if (spec == null || !spec.enabled()) {
            return NONE;
        }
        boolean crop = Boolean.TRUE.equals(spec.randomCrop());
        if (crop && (spec.padding() == null || spec.padding() < 1)) {
            throw new IllegalArgumentException("a random crop needs a padding ≥ 1, got " + spec.padding());
        }
        return new Augmentation(crop, crop ? spec.padding() : 0, Boolean.TRUE.equals(spec.horizontalFlip()));
    }

    /** Whether this changes anything. */
    public boolean enabled() {
        return crop || flip;
    }

    /**
     * The examples at {@code indices}, augmented, as {@link LabeledExamples#batch(NDManager, int[])} gives them.
     *
     * @param random the stream the crops and flips are drawn from
     * @throws IllegalArgumentException if this augments and the examples are not images {@code (C, H, W)}
     */
    public NDList batch(LabeledExamples examples, NDManager manager, int[] indices, SplittableRandom random) {
        if (!enabled()) {
            return examples.batch(manager, indices);
        }
        Shape shape = examples.exampleShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("augmentation needs images (channels, height, width), got examples of "
                    + "shape " + shape);
        }
        float[] x = examples.features(indices);
        apply(x, indices.length, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2), random);
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            y[b] = examples.label(indices[b]);
        }
        return new NDList(manager.create(x, new Shape(indices.length).addAll(shape)), manager.create(y));
    }

    /** Augments {@code count} images of {@code (channels, height, width)} stored row-major in {@code x}, in place. */
    void apply(float[] x, int count, int channels, int height, int width, SplittableRandom random) {
        int size = channels * height * width;
        float[] source = new float[size];
        for (int n = 0; n < count; n++) {
            int i = crop ? random.nextInt(2 * padding + 1) : padding;
            int j = crop ? random.nextInt(2 * padding + 1) : padding;
            boolean mirror = flip && random.nextBoolean();
            System.arraycopy(x, n * size, source, 0, size);
            for (int c = 0; c < channels; c++) {
                for (int yOut = 0; yOut < height; yOut++) {
                    int yIn = yOut + i - padding;
                    for (int xOut = 0; xOut < width; xOut++) {
                        int xCropped = mirror ? width - 1 - xOut : xOut;
                        int xIn = xCropped + j - padding;
                        boolean inside = yIn >= 0 && yIn < height && xIn >= 0 && xIn < width;
                        x[n * size + (c * height + yOut) * width + xOut] =
                                inside ? source[(c * height + yIn) * width + xIn] : 0f;
                    }
                }
            }
        }
    }
}
