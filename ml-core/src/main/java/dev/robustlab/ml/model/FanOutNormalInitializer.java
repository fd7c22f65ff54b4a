package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;

/**
 * Draws every value from N(0, 2 / fanOut), fanOut = out-channels · kernel area: He initialisation in its "fan out"
 * form, as the Wide-ResNet code of Zagoruyko and Komodakis (and TRADES, MART, AWP after it) initialises every
 * convolution: {@code m.weight.data.normal_(0, math.sqrt(2. / n))} with {@code n = k·k·out_channels}. Drawn from a
 * Java random stream ({@link Seeds#gaussian}, the same on every JDK), in parameter order, so that a seed fixes the
 * initial parameters.
 */
public final class FanOutNormalInitializer implements Initializer {
    private final SplittableRandom random;
    private final long fanOut;

    /**
     * @param random the stream to draw from (shared by the initialisers of one model)
     * @param fanOut out-channels times kernel area of the layer
     */
    public FanOutNormalInitializer(SplittableRandom random, long fanOut) {
        if (fanOut < 1) {
            throw new IllegalArgumentException("fanOut must be ≥ 1, got " + fanOut);
        }
        this.random = random;
        this.fanOut = fanOut;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        double std = Math.sqrt(2.0 / fanOut);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (Seeds.gaussian(random) * std);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
