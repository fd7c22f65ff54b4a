package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.Seeds;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random starts and per-example arrays for the training attacks of this package; randomness is drawn in Java. */
final class TrainingNoise {
    private TrainingNoise() {
    }

    /** x + scale·N(0, I), drawn in row-major order; in {@code manager}, x's data type. */
    static NDArray gaussianAround(NDArray x, double scale, SplittableRandom random, NDManager manager) {
        float[] values = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * Seeds.gaussian(random));
        }
        NDArray noise = manager.create(values, x.getShape()).toType(x.getDataType(), false);
        return noise.addi(x);
    }

    /** One value per example as an array {@code (B, 1, …, 1)} that broadcasts against {@code like}; in manager. */
    static NDArray perExample(float[] values, NDArray like, NDManager manager) {
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = values.length;
        return manager.create(values).toType(like.getDataType(), false).reshape(new Shape(dims));
    }
}
