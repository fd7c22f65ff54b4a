package dev.robustlab.ml.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.Seeds;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the classifier a {@link ModelSpec} names.
 *
 * <p>{@code mlp}: one hidden layer, f(x) = W₂·ReLU(W₁·x + b₁) + b₂ with W₁ {@code (hidden, d)} and W₂
 * {@code (classes, hidden)}, inputs flattened to d features.
 *
 * <p>{@code small-cnn}: for images {@code (C, H, W)}, e.g. Fashion-MNIST's (1, 28, 28) in [0,1]:
 * conv(C→16, 3×3, pad 1) → ReLU → maxpool 2 → conv(16→32, 3×3, pad 1) → ReLU → maxpool 2 → flatten
 * (32·⌊H/4⌋·⌊W/4⌋ = 1568 on 28×28) → linear(→100) → ReLU → linear(100→classes); the layers, their parameter
 * shapes and order, and the flattening order (C, H, W) are those of the equivalent PyTorch {@code nn.Sequential}, so
 * that weights carry over either way.
 *
 * <p>{@code preact-resnet18}, {@code resnet18}, {@code wrn} (depth, width): for 3×32×32 images, see
 * {@link ResidualNetworks}.
 *
 * <p>Any architecture may start with a {@link Normalization} layer ({@link ModelSpec#normalization()}: the named
 * dataset's per-channel mean and std); the 32×32 architectures do by default, so that inputs stay in [0,1].
 *
 * <p>{@code mlp} and {@code small-cnn} are initialised as PyTorch initialises {@code nn.Linear} and
 * {@code nn.Conv2d} by default (weights kaiming-uniform with a = √5 and biases alike, which both come down to
 * U(±1/√fanIn), fanIn = inputs of a unit: in-channels·kernel area for a convolution), the residual networks as
 * {@link ResidualNetworks} says, all from the run seed.
 */
public final class Models {
    /** Architecture id of the small convolutional network. */
    public static final String SMALL_CNN = ModelSpec.SMALL_CNN;

    /** {@code id} or {@code id(key=value,...)}, as {@link ModelSpec#describe()} writes it. */
    private static final Pattern DESCRIPTION = Pattern.compile(
            "([a-z0-9-]+)(?:\\(([a-z]+=[a-z0-9-]+(?:,[a-z]+=[a-z0-9-]+)*)\\))?");
    private static final int[] CNN_CHANNELS = {16, 32};
    private static final int CNN_HIDDEN = 100;
    private static final Shape RGB_32 = new Shape(3, 32, 32);

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
     * A classifier of {@code spec} whose parameter values are placeholders (zeros; BatchNorm's γ and running variance
     * ones), to be overwritten by a checkpoint.
     */
    public static Classifier placeholder(ModelSpec spec, Shape inputShape, int classes, NDManager parent) {
        return build(spec, inputShape, classes, null, parent);
    }

    /**
     * The stable description of {@code spec}, written into and checked against checkpoints:
     * {@link ModelSpec#describe()}, e.g. {@code mlp(hidden=64)}, {@code small-cnn},
     * {@code wrn(depth=34,width=10,normalization=cifar10)}.
     */
    public static String describe(ModelSpec spec) {
        check(spec);
        return spec.describe();
    }

    /**
     * The spec a description of {@link #describe} stands for, so that a checkpoint can be rebuilt from its header.
     * Parameters the description does not write are null (no normalization: null, which means {@code none}).
     *
     * @throws IllegalArgumentException if {@code description} names no architecture this build knows
     */
    public static ModelSpec parse(String description) {
        Matcher m = DESCRIPTION.matcher(description == null ? "" : description);
        if (!m.matches() || !ModelSpec.ARCHITECTURES.contains(m.group(1))) {
            throw unknownDescription(description);
        }
        Integer hidden = null;
        Integer depth = null;
        Integer width = null;
        String normalization = null;
        if (m.group(2) != null) {
            for (String part : m.group(2).split(",")) {
                String key = part.substring(0, part.indexOf('='));
                String value = part.substring(part.indexOf('=') + 1);
                try {
                    switch (key) {
                        case "hidden" -> hidden = Integer.parseInt(value);
                        case "depth" -> depth = Integer.parseInt(value);
                        case "width" -> width = Integer.parseInt(value);
                        case "normalization" -> normalization = value;
                        default -> throw unknownDescription(description);
                    }
                } catch (NumberFormatException e) {
                    throw unknownDescription(description);
                }
            }
        }
        ModelSpec spec = new ModelSpec(m.group(1), hidden, depth, width, normalization);
        try {
            check(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model description '" + description + "': " + e.getMessage(), e);
        }
        if (!spec.describe().equals(description)) {
            throw unknownDescription(description);
        }
        return spec;
    }

    private static IllegalArgumentException unknownDescription(String description) {
        return new IllegalArgumentException("unknown model description '" + description + "'; this build knows "
                + ModelSpec.ARCHITECTURES + " as id(parameter=value,...), e.g. mlp(hidden=64), small-cnn, "
                + "wrn(depth=34,width=10,normalization=cifar10)");
    }

    private static Classifier build(ModelSpec spec, Shape inputShape, int classes, SplittableRandom random,
                                    NDManager parent) {
        check(spec);
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        Optional<Normalization> normalization = Normalization.of(spec);
        if (normalization.isPresent() && (inputShape.dimension() != 3
                || inputShape.get(0) != normalization.get().channels())) {
            throw new IllegalArgumentException("normalization with the statistics of " + spec.normalization()
                    + " needs images of " + normalization.get().channels() + " channel(s), got inputs "
                    + inputShape);
        }
        SequentialBlock layers = switch (spec.architecture()) {
            case ModelSpec.SMALL_CNN -> smallCnn(inputShape, classes, random);
            case ModelSpec.MLP -> mlp(inputShape, spec.hiddenUnits(), classes, random);
            default -> residualNetwork(spec, inputShape, classes, random);
        };
        Block block = layers;
        if (normalization.isPresent()) {
            block = new SequentialBlock().add(normalization.get().block()).add(layers);
        }
        NDManager manager = parent.newSubManager();
        try {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape));
            return Classifier.of(block, manager, spec.describe(), inputShape, classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static SequentialBlock residualNetwork(ModelSpec spec, Shape inputShape, int classes,
                                                   SplittableRandom random) {
        if (!RGB_32.equals(inputShape)) {
            throw new IllegalArgumentException(spec.architecture() + " takes 3×32×32 images, got inputs "
                    + inputShape);
        }
        return switch (spec.architecture()) {
            case ModelSpec.RESNET18 -> ResidualNetworks.resnet18(classes, random);
            case ModelSpec.PREACT_RESNET18 -> ResidualNetworks.preActResnet18(classes, random);
            case ModelSpec.WRN -> ResidualNetworks.wideResnet(ModelSpec.wrnBlocksPerGroup(spec.depth()), spec.width(),
                    classes, random);
            default -> throw new IllegalStateException("not a residual network: " + spec.architecture());
        };
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
        String a = spec.architecture();
        if (!ModelSpec.ARCHITECTURES.contains(a)) {
            throw new IllegalArgumentException("unknown architecture '" + a + "'; known: " + ModelSpec.ARCHITECTURES);
        }
        if (ModelSpec.MLP.equals(a) != (spec.hiddenUnits() != null)) {
            throw new IllegalArgumentException(ModelSpec.MLP.equals(a) ? "mlp needs hiddenUnits ≥ 1, got null"
                    : "hiddenUnits applies to mlp only, not to " + a);
        }
        if (spec.hiddenUnits() != null && spec.hiddenUnits() < 1) {
            throw new IllegalArgumentException("mlp needs hiddenUnits ≥ 1, got " + spec.hiddenUnits());
        }
        boolean wrn = ModelSpec.WRN.equals(a);
        if (wrn != (spec.depth() != null) || wrn != (spec.width() != null)) {
            throw new IllegalArgumentException(wrn ? "wrn needs a depth and a width, got depth " + spec.depth()
                    + ", width " + spec.width() : "depth and width apply to wrn only, not to " + a);
        }
        if (wrn && (ModelSpec.wrnBlocksPerGroup(spec.depth()) == 0 || spec.width() < 1)) {
            throw new IllegalArgumentException("wrn needs a depth 6n + 4 or 6n + 2 (n ≥ 1) and a width ≥ 1, got "
                    + "depth " + spec.depth() + ", width " + spec.width());
        }
        Normalization.of(spec);
    }
}
