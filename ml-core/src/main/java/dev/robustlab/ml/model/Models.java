package dev.robustlab.ml.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the classifier a {@link ModelSpec} names.
 *
 * <p>{@code mlp}: one hidden layer, f(x) = W₂·ReLU(W₁·x + b₁) + b₂ with W₁ {@code (hidden, d)} and W₂
 * {@code (classes, hidden)}, inputs flattened to d features.
 *
 * <p>{@code small-cnn}: for images {@code (C, H, W)}, e.g. Fashion-MNIST's (1, 28, 28) in [0,1] (no normalisation):
 * conv(C→16, 3×3, pad 1) → ReLU → maxpool 2 → conv(16→32, 3×3, pad 1) → ReLU → maxpool 2 → flatten
 * (32·⌊H/4⌋·⌊W/4⌋ = 1568 on 28×28) → linear(→100) → ReLU → linear(100→classes); the layers, their parameter
 * shapes and order, and the flattening order (C, H, W) are those of the equivalent PyTorch {@code nn.Sequential}, so
 * that weights carry over either way. {@code hiddenUnits} does not apply to it.
 *
 * <p>Every layer is initialised as PyTorch initialises {@code nn.Linear} and {@code nn.Conv2d} by default (weights
 * kaiming-uniform with a = √5 and biases alike, which both come down to U(±1/√fanIn), fanIn = inputs of a unit:
 * in-channels·kernel area for a convolution) from the run seed.
 */
public final class Models {
    /** Architecture id of the small convolutional network. */
    public static final String SMALL_CNN = "small-cnn";

    private static final Pattern MLP_DESCRIPTION = Pattern.compile("mlp\\(hidden=(\\d{1,9})\\)");
    private static final int[] CNN_CHANNELS = {16, 32};
    private static final int CNN_HIDDEN = 100;

    private Models() {
    }

    /**
     * A freshly initialised classifier whose parameters live in a new sub-manager of {@code parent}.
     *
     * @param spec       architecture
     * @param inputShape shape of one input
     * @param classes    number of classes
     * @param seed       seed of the initial parameters
     * @param parent     manager the classifier's own manager is created under
     * @throws IllegalArgumentException on an unknown architecture or bad sizes
     */
    public static Classifier create(ModelSpec spec, Shape inputShape, int classes, long seed, NDManager parent) {
        return build(spec, inputShape, classes, Seeds.stream(seed, "model-init"), parent);
    }

    /**
     * A classifier of {@code spec} whose parameter values are placeholders (zeros), to be overwritten by a
     * checkpoint.
     */
    public static Classifier placeholder(ModelSpec spec, Shape inputShape, int classes, NDManager parent) {
        return build(spec, inputShape, classes, null, parent);
    }

    /**
     * The stable description of {@code spec}, written into and checked against checkpoints: {@code mlp(hidden=64)},
     * {@code small-cnn}.
     */
    public static String describe(ModelSpec spec) {
        check(spec);
        return SMALL_CNN.equals(spec.architecture()) ? SMALL_CNN : spec.describe();
    }

    /**
     * The spec a description of {@link #describe} stands for, so that a checkpoint can be rebuilt from its header.
     *
     * @throws IllegalArgumentException if {@code description} names no architecture this build knows
     */
    public static ModelSpec parse(String description) {
        if (SMALL_CNN.equals(description)) {
            return new ModelSpec(SMALL_CNN, null);
        }
        Matcher mlp = MLP_DESCRIPTION.matcher(description == null ? "" : description);
        if (mlp.matches()) {
            return new ModelSpec(ModelSpec.MLP, Integer.parseInt(mlp.group(1)));
        }
        throw new IllegalArgumentException("unknown model description '" + description + "'; this build knows "
                + "mlp(hidden=N) and " + SMALL_CNN);
    }

    private static Classifier build(ModelSpec spec, Shape inputShape, int classes, SplittableRandom random,
                                    NDManager parent) {
        check(spec);
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        SequentialBlock block = SMALL_CNN.equals(spec.architecture())
                ? smallCnn(inputShape, classes, random)
                : mlp(inputShape, spec.hiddenUnits(), classes, random);
        NDManager manager = parent.newSubManager();
        try {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape));
            return Classifier.of(block, manager, describe(spec), inputShape, classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static SequentialBlock mlp(Shape inputShape, int hidden, int classes, SplittableRandom random) {
        SequentialBlock block = new SequentialBlock();
        if (inputShape.dimension() > 1) {
            block.add(Blocks.batchFlattenBlock());
        }
        return block.add(linear(hidden, inputShape.size(), random))
                .add(Activation.reluBlock())
                .add(linear(classes, hidden, random));
    }

    private static SequentialBlock smallCnn(Shape inputShape, int classes, SplittableRandom random) {
        if (inputShape.dimension() != 3 || inputShape.get(1) < 4 || inputShape.get(2) < 4) {
            throw new IllegalArgumentException(SMALL_CNN + " needs image inputs (channels, height, width) of at least "
                    + "4×4, got " + inputShape);
        }
        SequentialBlock block = new SequentialBlock();
        long channels = inputShape.get(0);
        for (int filters : CNN_CHANNELS) {
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(filters).build();
            conv.setInitializer(initializer(random, channels * 9), p -> true);
            block.add(conv).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            channels = filters;
        }
        long flattened = channels * (inputShape.get(1) / 4) * (inputShape.get(2) / 4);
        return block.add(Blocks.batchFlattenBlock())
                .add(linear(CNN_HIDDEN, flattened, random))
                .add(Activation.reluBlock())
                .add(linear(classes, CNN_HIDDEN, random));
    }

    private static Linear linear(int units, long fanIn, SplittableRandom random) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(initializer(random, fanIn), p -> true);
        return linear;
    }

    private static Initializer initializer(SplittableRandom random, long fanIn) {
        return random == null ? Initializer.ZEROS : new FanInUniformInitializer(random, fanIn);
    }

    private static void check(ModelSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("model spec is required");
        }
        if (SMALL_CNN.equals(spec.architecture())) {
            return;
        }
        if (!ModelSpec.MLP.equals(spec.architecture())) {
            throw new IllegalArgumentException("unknown architecture '" + spec.architecture() + "'; known: ["
                    + ModelSpec.MLP + ", " + SMALL_CNN + "]");
        }
        if (spec.hiddenUnits() == null || spec.hiddenUnits() < 1) {
            throw new IllegalArgumentException("mlp needs hiddenUnits ≥ 1, got " + spec.hiddenUnits());
        }
    }
}
