package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;

import java.util.Map;
import java.util.Optional;

/**
 * Per-channel input standardisation, the first layer of a model that wants it: x ↦ (x − mean_c) / std_c for the
 * channel c of each value, with the dataset's training-split statistics of pixel values in [0,1]. Keeping it inside
 * the model lets attacks, ε and the projection onto [0,1] work on raw pixels; the layer is fixed, not trained (it has
 * no parameters, so it is neither in checkpoints nor touched by the optimizer or PIAT: the model description names the
 * dataset whose statistics it uses, {@link ModelSpec#normalization()}).
 *
 * <table>
 * <caption>statistics (mean; standard deviation) per channel</caption>
 * <tr><td>fashion-mnist</td><td>0.2860; 0.3530 (computed on the 60000 training images)</td></tr>
 * <tr><td>cifar10</td><td>(0.4914, 0.4822, 0.4465); (0.2471, 0.2435, 0.2616), as the PreAct ResNet and AWP code of
 *     Rice et al. 2020 / Wu et al. 2020 uses them (the population std over the training split)</td></tr>
 * <tr><td>cifar100</td><td>(0.5071, 0.4865, 0.4409); (0.2673, 0.2564, 0.2762)</td></tr>
 * <tr><td>svhn</td><td>(0.4377, 0.4438, 0.4728); (0.1980, 0.2010, 0.1970)</td></tr>
 * </table>
 */
public final class Normalization {
    private static final Map<String, Normalization> BY_DATASET = Map.of(
            DatasetSpec.FASHION_MNIST, new Normalization(DatasetSpec.FASHION_MNIST, new float[]{0.2860f},
                    new float[]{0.3530f}),
            DatasetSpec.CIFAR10, new Normalization(DatasetSpec.CIFAR10, new float[]{0.4914f, 0.4822f, 0.4465f},
                    new float[]{0.2471f, 0.2435f, 0.2616f}),
            DatasetSpec.CIFAR100, new Normalization(DatasetSpec.CIFAR100, new float[]{0.5071f, 0.4865f, 0.4409f},
                    new float[]{0.2673f, 0.2564f, 0.2762f}),
            DatasetSpec.SVHN, new Normalization(DatasetSpec.SVHN, new float[]{0.4377f, 0.4438f, 0.4728f},
                    new float[]{0.1980f, 0.2010f, 0.1970f}));

    private final String dataset;
    private final float[] mean;
    private final float[] std;

    private Normalization(String dataset, float[] mean, float[] std) {
        this.dataset = dataset;
        this.mean = mean;
        this.std = std;
    }

    /** The statistics of dataset {@code name}; empty for a dataset without channel statistics (or an unknown one). */
    public static Optional<Normalization> forDataset(String name) {
        return Optional.ofNullable(name == null ? null : BY_DATASET.get(name));
    }

    /**
     * The normalisation {@code spec} asks for: empty for {@code none} (or null).
     *
     * @throws IllegalArgumentException when it names a dataset without statistics
     */
    static Optional<Normalization> of(ModelSpec spec) {
        String name = spec.normalization();
        if (name == null || ModelSpec.NONE.equals(name)) {
            return Optional.empty();
        }
        return Optional.of(forDataset(name).orElseThrow(() -> new IllegalArgumentException("normalization '" + name
                + "' names no dataset with channel statistics; known: " + BY_DATASET.keySet() + " or none")));
    }

    /** The dataset whose statistics these are. */
    public String dataset() {
        return dataset;
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /** Per-channel mean (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation (a copy). */
    public float[] std() {
        return std.clone();
    }

    /**
     * The layer: {@code (B, C, H, W)} ↦ {@code (x − mean) / std} broadcast over channels, in float32 as PyTorch
     * computes {@code (x - mean[None, :, None, None]) / std[None, :, None, None]}. The constants are created in the
     * input's manager on every call (a few floats), so the layer holds no native memory of its own.
     *
     * @throws IllegalArgumentException at the first forward if the input does not have {@link #channels()} channels
     */
    Block block() {
        return LambdaBlock.singleton(this::apply, "normalization-" + dataset);
    }

    /** {@code (x − mean) / std} of inputs {@code (B, C, H, W)}. */
    public NDArray apply(NDArray x) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != mean.length) {
            throw new IllegalArgumentException("normalization with the statistics of " + dataset + " needs inputs "
                    + "(batch, " + mean.length + ", height, width), got " + x.getShape());
        }
        NDManager manager = x.getManager();
        Shape shape = new Shape(1, mean.length, 1, 1);
        NDArray m = manager.create(mean, shape);
        NDArray s = manager.create(std, shape);
        return x.sub(m).div(s);
    }
}
