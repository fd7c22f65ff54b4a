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
 */
public final class LabeledExamples {
    private final float[] features;
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
        this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape");
        this.featuresPerExample = Math.toIntExact(exampleShape.size());
        if (features.length != (long) labels.length * featuresPerExample) {
            throw new IllegalArgumentException("expected " + labels.length + " × " + featuresPerExample
                    + " feature values, got " + features.length);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
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
        return Arrays.copyOfRange(features, i * featuresPerExample, (i + 1) * featuresPerExample);
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
        return new LabeledExamples(
                Arrays.copyOfRange(features, offset * featuresPerExample, (offset + count) * featuresPerExample),
                Arrays.copyOfRange(labels, offset, offset + count), exampleShape, classes);
    }

    /**
     * The examples at {@code indices} as arrays in {@code manager}: features {@code (B, exampleShape...)} FLOAT32 and
     * labels {@code (B)} INT64.
     */
    public NDList batch(NDManager manager, int[] indices) {
        float[] x = new float[indices.length * featuresPerExample];
        long[] y = new long[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            System.arraycopy(features, i * featuresPerExample, x, b * featuresPerExample, featuresPerExample);
            y[b] = labels[i];
        }
        NDArray xs = manager.create(x, batchShape(indices.length));
        NDArray ys = manager.create(y);
        return new NDList(xs, ys);
    }

    /** Examples {@code [offset, offset + count)} as arrays in {@code manager}, as {@link #batch(NDManager, int[])}. */
    public NDList batch(NDManager manager, int offset, int count) {
        int[] indices = new int[count];
        for (int b = 0; b < count; b++) {
            indices[b] = offset + b;
        }
        return batch(manager, indices);
    }

    private Shape batchShape(int batchSize) {
        return new Shape(batchSize).addAll(exampleShape);
    }
}
