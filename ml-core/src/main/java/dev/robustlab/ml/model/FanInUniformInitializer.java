package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

import java.util.SplittableRandom;

/**
 * Draws every value from U(−1/√fanIn, 1/√fanIn), PyTorch's default for the weight and bias of {@code nn.Linear},
 * from a Java random stream, so that a seed fixes the initial parameters whatever the engine's global generator
 * did before. Values are drawn in the order parameters are initialised, which DJL fixes (blocks in order, weight
 * before bias).
 */
public final class FanInUniformInitializer implements Initializer {
    private final SplittableRandom random;
    private final long fanIn;

    /**
     * @param random the stream to draw from (shared by the initialisers of one model)
     * @param fanIn  inputs of the layer
     */
    public FanInUniformInitializer(SplittableRandom random, long fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fanIn must be ≥ 1, got " + fanIn);
        }
        this.random = random;
        this.fanIn = fanIn;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
