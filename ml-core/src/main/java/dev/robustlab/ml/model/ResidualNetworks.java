package dev.robustlab.ml.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The residual networks for 3×32×32 images, layer for layer as the PyTorch code the papers train (so that parameters
 * carry over in order and shape, and counts match the published ones). Every convolution has no bias; every
 * BatchNorm is PyTorch's default (ε = 1e-5, running statistics updated with momentum 0.1: DJL's momentum 0.9 is
 * the weight of the old value); the head is a global average pool over the last 4×4 (ResNets) or 8×8 (WRN) map and
 * a linear layer.
 *
 * <p><b>ResNet-18</b> (He et al. 2016, CIFAR variant as in kuangliu/pytorch-cifar and the PIAT and TRADES code):
 * conv 3×3 (3→64) → BN → ReLU, then 4 stages of 2 basic blocks with 64, 128, 256, 512 channels (stride 1, 2, 2, 2
 * in each stage's first block), a basic block being out = ReLU(BN(conv(ReLU(BN(conv(x))))) + s(x)) with s the
 * identity or, where the shape changes, conv 1×1 → BN. 11,173,962 parameters for 10 classes.
 *
 * <p><b>PreAct ResNet-18</b> (He et al. 2016b, as in Rice et al. 2020 and the AWP code): conv 3×3 (3→64), the same 4
 * stages of pre-activation blocks out = conv(ReLU(BN(conv(h)))) + s, h = ReLU(BN(x)), s = x or conv 1×1 (h) where the
 * shape changes, then BN → ReLU before the pooling. 11,172,170 parameters for 10 classes (kuangliu's variant without
 * the final BN has 1,024 fewer: 11,171,146).
 *
 * <p><b>WRN-d-k</b> (Zagoruyko and Komodakis 2016, as in the TRADES, MART and AWP code): conv 3×3 (3→16), 3 groups of
 * n pre-activation blocks with 16k, 32k, 64k channels (stride 1, 2, 2 in each group's first block), then BN → ReLU.
 * A block whose width changes pre-activates its input once, h = ReLU(BN(x)), and returns conv(ReLU(BN(conv(h)))) +
 * conv 1×1 (h); otherwise it returns conv(ReLU(BN(conv(ReLU(BN(x)))))) + x. n = (d − 4) / 6 (d = 6n + 4), or
 * (d − 2) / 6 for Madry et al.'s count (their WRN-32-10 has the 5 blocks per group of WRN-34-10). Convolutions are
 * initialised N(0, 2 / (k²·out)), the linear bias at 0. WRN-34-10: 46,160,474 parameters, WRN-28-10: 36,479,194.
 *
 * <p>ResNets are initialised as PyTorch does by default: convolutions and the linear layer U(±1/√fanIn); BatchNorm
 * with γ = 1, β = 0, running mean 0 and variance 1.
 */
final class ResidualNetworks {
    private static final int[] RESNET_CHANNELS = {64, 128, 256, 512};
    private static final int[] RESNET_STRIDES = {1, 2, 2, 2};
    private static final int RESNET_BLOCKS = 2;

    private ResidualNetworks() {
    }

    /** ResNet-18, CIFAR variant. {@code random} null builds placeholders (zeros) for a checkpoint to overwrite. */
    static SequentialBlock resnet18(int classes, SplittableRandom random) {
        Weights w = Weights.pytorchDefault(random);
        SequentialBlock net = new SequentialBlock()
                .add(w.conv(3, 64, 3, 1))
                .add(batchNorm())
                .add(Activation.reluBlock());
        int in = 64;
        for (int stage = 0; stage < RESNET_CHANNELS.length; stage++) {
            for (int b = 0; b < RESNET_BLOCKS; b++) {
                int stride = b == 0 ? RESNET_STRIDES[stage] : 1;
                net.add(basicBlock(w, in, RESNET_CHANNELS[stage], stride));
                in = RESNET_CHANNELS[stage];
            }
        }
        return head(net, w, in, classes);
    }

    /** PreAct ResNet-18 with the final BN-ReLU. */
    static SequentialBlock preActResnet18(int classes, SplittableRandom random) {
        Weights w = Weights.pytorchDefault(random);
        SequentialBlock net = new SequentialBlock().add(w.conv(3, 64, 3, 1));
        int in = 64;
        for (int stage = 0; stage < RESNET_CHANNELS.length; stage++) {
            for (int b = 0; b < RESNET_BLOCKS; b++) {
                int stride = b == 0 ? RESNET_STRIDES[stage] : 1;
                net.add(preActivationBlock(w, in, RESNET_CHANNELS[stage], stride));
                in = RESNET_CHANNELS[stage];
            }
        }
        net.add(batchNorm()).add(Activation.reluBlock());
        return head(net, w, in, classes);
    }

    /** WRN with {@code blocksPerGroup} blocks per group and widening factor {@code width}. */
    static SequentialBlock wideResnet(int blocksPerGroup, int width, int classes, SplittableRandom random) {
        Weights w = Weights.wideResnet(random);
        int[] channels = {16 * width, 32 * width, 64 * width};
        int[] strides = {1, 2, 2};
        SequentialBlock net = new SequentialBlock().add(w.conv(3, 16, 3, 1));
        int in = 16;
        for (int group = 0; group < channels.length; group++) {
            for (int b = 0; b < blocksPerGroup; b++) {
                net.add(preActivationBlock(w, in, channels[group], b == 0 ? strides[group] : 1));
                in = channels[group];
            }
        }
        net.add(batchNorm()).add(Activation.reluBlock());
        return head(net, w, in, classes);
    }

    /** The number of trained parameters of a block: everything but BatchNorm's running statistics. */
    static long trainableParameterCount(List<Parameter> parameters) {
        long count = 0;
        for (Parameter p : parameters) {
            if (!isRunningStatistic(p)) {
                count += p.getArray().size();
            }
        }
        return count;
    }

    /** Whether {@code p} is a BatchNorm running mean or variance (state, not a trained weight). */
    static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    private static SequentialBlock head(SequentialBlock net, Weights w, int features, int classes) {
        return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(w.linear(features, classes));
    }

    /** ReLU(BN(conv(ReLU(BN(conv(x))))) + s(x)). */
    private static Block basicBlock(Weights w, int in, int out, int stride) {
        SequentialBlock residual = new SequentialBlock()
                .add(w.conv(in, out, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                .add(w.conv(out, out, 3, 1)).add(batchNorm());
        Block shortcut = stride == 1 && in == out ? Blocks.identityBlock()
                : new SequentialBlock().add(w.conv(in, out, 1, stride)).add(batchNorm());
        return new SequentialBlock().add(sum(residual, shortcut)).add(Activation.reluBlock());
    }

    /**
     * The pre-activation block of PreAct ResNet and WRN: where the shape changes, h = ReLU(BN(x)) feeds both the
     * residual and a 1×1 convolution shortcut; otherwise x is added as it is.
     */
    private static Block preActivationBlock(Weights w, int in, int out, int stride) {
        SequentialBlock residual = new SequentialBlock()
                .add(w.conv(in, out, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                .add(w.conv(out, out, 3, 1));
        if (stride == 1 && in == out) {
            SequentialBlock preActivated = new SequentialBlock().add(batchNorm()).add(Activation.reluBlock())
                    .add(residual);
            return sum(preActivated, Blocks.identityBlock());
        }
        return new SequentialBlock().add(batchNorm()).add(Activation.reluBlock())
                .add(sum(residual, w.conv(in, out, 1, stride)));
    }

    /** A block that adds the outputs of {@code a} and {@code b} on the same input. */
    private static Block sum(Block a, Block b) {
        return new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow()
                .add(outputs.get(1).singletonOrThrow())), List.of(a, b));
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** How one family of networks initialises its convolutions and its linear layer. */
    private record Weights(SplittableRandom random, boolean heNormalConvolutions) {
        static Weights pytorchDefault(SplittableRandom random) {
            return new Weights(random, false);
        }

        static Weights wideResnet(SplittableRandom random) {
            return new Weights(random, true);
        }

        Conv2d conv(int in, int out, int kernel, int stride) {
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(out)
                    .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2))
                    .optBias(false).build();
            Initializer init;
            if (random == null) {
                init = Initializer.ZEROS;
            } else if (heNormalConvolutions) {
                init = new FanOutNormalInitializer(random, (long) out * kernel * kernel);
            } else {
                init = new FanInUniformInitializer(random, (long) in * kernel * kernel);
            }
            conv.setInitializer(init, Parameter.Type.WEIGHT);
            return conv;
        }

        Linear linear(int in, int classes) {
            Linear linear = Linear.builder().setUnits(classes).build();
            Initializer weight = random == null ? Initializer.ZEROS : new FanInUniformInitializer(random, in);
            linear.setInitializer(weight, Parameter.Type.WEIGHT);
            linear.setInitializer(random == null || heNormalConvolutions ? Initializer.ZEROS : weight,
                    Parameter.Type.BIAS);
            return linear;
        }
    }
}
