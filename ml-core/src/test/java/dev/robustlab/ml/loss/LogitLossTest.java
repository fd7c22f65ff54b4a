package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogitLossTest {

    @Test
    void crossEntropyAndMarginMatchTheirFormulas() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            float[] z = {2f, -1f, 0.5f, 0f, 3f, 1f};
            NDArray logits = manager.create(z, new Shape(2, 3));
            NDArray labels = manager.create(new long[] {0, 2});
            float[] ce = LogitLoss.crossEntropy().perExample(logits, labels).toFloatArray();
            float[] margin = LogitLoss.cwMargin().perExample(logits, labels).toFloatArray();
            assertEquals(-2 + Math.log(Math.exp(2) + Math.exp(-1) + Math.exp(0.5)), ce[0], 1e-5);
            assertEquals(-1 + Math.log(Math.exp(0) + Math.exp(3) + Math.exp(1)), ce[1], 1e-5);
            assertEquals(0.5 - 2, margin[0], 1e-6, "max_{k≠y} z_k − z_y, correctly classified: negative");
            assertEquals(3 - 1, margin[1], 1e-6, "misclassified: positive");
            assertEquals((ce[0] + ce[1]) / 2, LogitLoss.crossEntropy().mean(logits, labels).getFloat(), 1e-6);
        }
    }
}
