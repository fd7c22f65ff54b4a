package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/** Small classifiers with seeded weights for the objective tests, in FLOAT32 or FLOAT64. */
public final class SeededModels {
    private SeededModels() {
    }

    /**
     * Linear(inputs→hidden) → BatchNorm → ReLU → Linear(hidden→classes), weights U(±1/√fan-in), BatchNorm's
     * scale around 1, shift and running mean around 0, running variance in [0.5, 1.5), all from {@code seed}.
     */
    public static Classifier withBatchNorm(int inputs, int hidden, int classes, long seed, DataType type,
                                           NDManager parent) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
        return seeded(block, inputs, classes, seed, type, parent, "tiny-mlp-bn");
    }

    /** Linear(inputs→hidden) → ReLU → Linear(hidden→classes), weights U(±1/√fan-in) from {@code seed}. */
    public static Classifier withoutBatchNorm(int inputs, int hidden, int classes, long seed, DataType type,
                                              NDManager parent) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
        return seeded(block, inputs, classes, seed, type, parent, "tiny-mlp");
    }

    /** Uniform values in [low, high) of {@code shape} from {@code random}, in {@code type}. */
    public static NDArray uniform(NDManager manager, SplittableRandom random, double low, double high,
                                  DataType type, long... shape) {
        Shape s = new Shape(shape);
        double[] values = new double[Math.toIntExact(s.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        return manager.create(values, s).toType(type, false);
    }

    private static Classifier seeded(SequentialBlock block, int inputs, int classes, long seed, DataType type,
                                     NDManager parent, String description) {
        NDManager manager = parent.newSubManager();
        block.initialize(manager, type, new Shape(1, inputs));
        Classifier model = Classifier.of(block, manager, description, new Shape(inputs), classes);
        SplittableRandom random = new SplittableRandom(seed);
        long fanIn = inputs;
        for (Parameter parameter : model.parameters()) {
            Shape shape = parameter.getArray().getShape();
            NDArray value = switch (parameter.getType()) {
                case WEIGHT -> {
                    fanIn = shape.get(1);
                    double bound = 1 / Math.sqrt(fanIn);
                    yield uniform(manager, random, -bound, bound, type, shape.getShape());
                }
                case BIAS -> uniform(manager, random, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), type,
                        shape.getShape());
                case GAMMA -> uniform(manager, random, 0.8, 1.2, type, shape.getShape());
                case BETA, RUNNING_MEAN -> uniform(manager, random, -0.2, 0.2, type, shape.getShape());
                case RUNNING_VAR -> uniform(manager, random, 0.5, 1.5, type, shape.getShape());
                default -> throw new IllegalStateException("unexpected parameter " + parameter.getName());
            };
            ParameterValues.assign(parameter, value);
        }
        return model;
    }
}
