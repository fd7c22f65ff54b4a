package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;

/** Random starts for the training attacks of this package; randomness is drawn in Java. */
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
}
