package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.loss.LogitLoss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The values Python computed on a TorchScript model ({@code torchscript_models.py}): a batch, its labels, the logits
 * in inference mode and the input gradient of the summed cross-entropy.
 */
record TorchScriptFixture(Shape batchShape, int classes, float[] inputs, long[] labels, float[] logits,
                          float[] gradient) {

    /** The directory of the checked-in fixture (test resources {@code model/}). */
    static Path directory() {
        try {
            return Path.of(TorchScriptFixture.class.getResource("/model/torchscript_models.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code <arch>-expected.txt} of {@code directory}. */
    static TorchScriptFixture read(Path directory, String arch) {
        Map<String, double[]> lines = new HashMap<>();
        try {
            for (String line : Files.readAllLines(directory.resolve(arch + "-expected.txt"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                lines.put(parts[0], Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TorchScriptFixture(new Shape(Arrays.stream(lines.get("shape")).mapToLong(d -> (long) d).toArray()),
                (int) lines.get("classes")[0], floats(lines.get("inputs")),
                Arrays.stream(lines.get("labels")).mapToLong(d -> (long) d).toArray(), floats(lines.get("logits")),
                floats(lines.get("gradient")));
    }

    /** Shape of one input. */
    Shape inputShape() {
        return batchShape.slice(1);
    }

    NDArray x(NDManager manager) {
        return manager.create(inputs, batchShape);
    }

    NDArray y(NDManager manager) {
        return manager.create(labels);
    }

    /** ∇_x Σ_i CE(f(x)_i, y_i), as the attacks compute it: a fresh leaf under a gradient scope. */
    static float[] inputGradient(Classifier model, NDArray x, NDArray y) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray leaf = x.stopGradient();
            leaf.attach(scope);
            leaf.setRequiresGradient(true);
            try (GradientScope gradients = GradientScope.open()) {
                NDArray logits = model.logits(leaf, false);
                gradients.backward(LogitLoss.crossEntropy().perExample(logits, y).sum());
            }
            return leaf.getGradient().toFloatArray();
        }
    }

    /** max_i |a_i − b_i|. */
    static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static float[] floats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }
}
