package dev.robustlab.ml.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.Seeds;

import java.util.SplittableRandom;

/**
 * Builds the classifier a {@link ModelSpec} names.
 *
 * <p>{@code mlp}: one hidden layer, f(x) = W₂·ReLU(W₁·x + b₁) + b₂ with W₁ {@code (hidden, d)} and W₂
 * {@code (classes, hidden)}, inputs flattened to d features; initialised as PyTorch's {@code nn.Linear}
 * (U(±1/√fanIn) for weights and biases) from the run seed.
 */
public final class Models {
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

    /** The stable description of {@code spec}, checked against checkpoints. */
    public static String describe(ModelSpec spec) {
        check(spec);
        return spec.describe();
    }

    private static Classifier build(ModelSpec spec, Shape inputShape, int classes, SplittableRandom random,
                                    NDManager parent) {
        check(spec);
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        long inputs = inputShape.size();
        int hidden = spec.hiddenUnits();
        Linear first = Linear.builder().setUnits(hidden).build();
        Linear second = Linear.builder().setUnits(classes).build();
        first.setInitializer(initializer(random, inputs), p -> true);
        second.setInitializer(initializer(random, hidden), p -> true);
        SequentialBlock block = new SequentialBlock();
        if (inputShape.dimension() > 1) {
            block.add(Blocks.batchFlattenBlock());
        }
        block.add(first).add(Activation.reluBlock()).add(second);
        NDManager manager = parent.newSubManager();
        try {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape));
            return Classifier.of(block, manager, spec.describe(), inputShape, classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Initializer initializer(SplittableRandom random, long fanIn) {
        return random == null ? Initializer.ZEROS : new FanInUniformInitializer(random, fanIn);
    }

    private static void check(ModelSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("model spec is required");
        }
        if (!ModelSpec.MLP.equals(spec.architecture())) {
            throw new IllegalArgumentException("unknown architecture '" + spec.architecture() + "'; known: ["
                    + ModelSpec.MLP + "]");
        }
        if (spec.hiddenUnits() == null || spec.hiddenUnits() < 1) {
            throw new IllegalArgumentException("mlp needs hiddenUnits ≥ 1, got " + spec.hiddenUnits());
        }
    }
}
