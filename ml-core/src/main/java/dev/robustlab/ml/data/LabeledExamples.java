package dev.robustlab.ml.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, in-memory set of labelled examples: features in [0,1] stored row-major, class labels in
 * {@code [0, classes)}.
 *
 * <p>Images are held as their 8-bit pixels ({@link #ofPixels}), a quarter of the memory of floats (CIFAR-10's train
 * split: 154 MB instead of 614 MB), and scaled to {@code p / 255} (float32 division, as torchvision's
 * {@code ToTensor}) only when {@link #features(int)} or {@link #batch} hand them out.
 */
public final class LabeledExamples {
    private final float[] features;
    private final byte[] pixels;
    private final int[] labels;
    private final Shape exampleShape;
    private final int classes;
    private final int featuresPerExample;

    /**
     * @param features     {@code labels.length × exampleShape.size()} values, row-major (copied)
     * @param labels       one label per example (copied)
     * @param exampleShape shape of one example, e.g. {@code (3)}
     * @param classes      number of classes
     */
    public LabeledExamples(float[] features, int[] labels, Shape exampleShape, int classes) {
        this(features.clone(), null, labels.clone(), exampleShape, classes);
    }

    /**
     * Examples whose feature values are the unsigned bytes {@code pixels} divided by 255.
     *
     * @param pixels       {@code labels.length × exampleShape.size()} unsigned bytes, row-major (copied)
     * @param labels       one label per example (copied)
     * @param exampleShape shape of one example, e.g. {@code (3, 32, 32)}
     * @param classes      number of classes
     */
    public static LabeledExamples ofPixels(byte[] pixels, int[] labels, Shape exampleShape, int classes) {
        return wrapPixels(pixels.clone(), labels.clone(), exampleShape, classes);
    }

    /** As {@link #ofPixels} but keeps the arrays, which the caller must no longer change: for the dataset readers. */
    static LabeledExamples wrapPixels(byte[] pixels, int[] labels, Shape exampleShape, int classes) {
        return new LabeledExamples(null, pixels, labels, exampleShape, classes);
    }

    private LabeledExamples(float[] features, byte[] pixels, int[] labels, Shape exampleShape, int classes) {
        this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape");
        this.featuresPerExample = Math.toIntExact(exampleShape.size());
        int stored = features != null ? features.length : pixels.length;
        if (stored != (long) labels.length * featuresPerExample) {
            throw new IllegalArgumentException("expected " + labels.length + " × " + featuresPerExample
                    + " feature values, got " + stored);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
        }
        this.features = features;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Shape of one example. */
    public Shape exampleShape() {
        return exampleShape;
    }

    /** Number of classes. */
    public int classes() {
        return classes;
    }

    /** Label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of the features of example {@code i}. */
    public float[] features(int i) {
        Objects.checkIndex(i, size());
        float[] x = new float[featuresPerExample];
        copyFeatures(i, x, 0);
        return x;
    }

    /**
     * Examples {@code [offset, offset + count)}.
     *
     * @throws IllegalArgumentException if the range is not inside this set
     */
    public LabeledExamples slice(int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > size()) {
            throw new IllegalArgumentException("examples [" + offset + ", " + ((long) offset + count)
                    + ") are not inside [0, " + size() + ")");
        }
        int from = offset * featuresPerExample;
        int to = (offset + count) * featuresPerExample;
        return new LabeledExamples(features == null ? null : Arrays.copyOfRange(features, from, to),
                pixels == null ? null : Arrays.copyOfRange(pixels, from, to),
                Arrays.copyOfRange(labels, offset, offset + count), exampleShape, classes);
    }

    /**
     * The examples at {@code indices} as arrays in {@code manager}: features {@code (B, exampleShape...)} FLOAT32 and
     * labels {@code (B)} INT64.
     */
    public NDList batch(NDManager manager, int[] indices) {
        float[] x = features(indices);
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            y[b] = labels[indices[b]];
        }
        NDArray xs = manager.create(x, batchShape(indices.length));
        NDArray ys = manager.create(y);
        return new NDList(xs, ys);
    }

    /** The features of the examples at {@code indices}, one after the other, row-major (a new array). */
    public float[] features(int[] indices) {
        float[] x = new float[indices.length * featuresPerExample];
        for (int b = 0; b < indices.length; b++) {
            Objects.checkIndex(indices[b], size());
            copyFeatures(indices[b], x, b * featuresPerExample);
        }
        return x;
    }

    /** Examples {@code [offset, offset + count)} as arrays in {@code manager}, as {@link #batch(NDManager, int[])}. */
    public NDList batch(NDManager manager, int offset, int count) {
        int[] indices = new int[count];
        for (int b = 0; b < count; b++) {
            indices[b] = offset + b;
        }
        return batch(manager, indices);
    }

    private void copyFeatures(int i, float[] into, int at) {
        int from = i * featuresPerExample;
        if (features != null) {
            System.arraycopy(features, from, into, at, featuresPerExample);
            return;
        }
        for (int k = 0; k < featuresPerExample; k++) {
            into[at + k] = (pixels[from + k] & 0xFF) / 255f;
        }
    }

    private Shape batchShape(int batchSize) {
        return new Shape(batchSize).addAll(exampleShape);
    }
}
