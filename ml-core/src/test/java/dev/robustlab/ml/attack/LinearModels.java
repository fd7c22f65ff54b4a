package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.ml.model.Classifier;

/** Linear classifiers z = W·x + b with known weights, for attacks whose outcome can be computed by hand. */
final class LinearModels {
    private LinearModels() {
    }

    /** z = W·x + b; W is {@code (classes, features)} row-major. */
    static Classifier linear(float[] weights, float[] bias, int features, NDManager parent) {
        int classes = bias.length;
        Linear block = Linear.builder().setUnits(classes).build();
        block.setInitializer(fixed(weights), Parameter.Type.WEIGHT);
        block.setInitializer(fixed(bias), Parameter.Type.BIAS);
        NDManager manager = parent.newSubManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, features));
        return Classifier.of(block, manager, "linear", new Shape(features), classes);
    }

    private static Initializer fixed(float[] values) {
        return (NDManager manager, Shape shape, DataType type) -> {
            NDArray array = manager.create(values, shape);
            return array;
        };
    }
}
