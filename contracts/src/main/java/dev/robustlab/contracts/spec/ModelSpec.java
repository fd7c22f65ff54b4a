package dev.robustlab.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The classifier to train. Every architecture takes inputs in [0,1]; where the inputs are to be standardised, the
 * model does it in its first layer ({@code normalization}), so that attacks and ε live in pixel space.
 *
 * <table>
 * <caption>architectures</caption>
 * <tr><th>id</th><th>inputs</th><th>what</th></tr>
 * <tr><td>mlp</td><td>any</td><td>one hidden layer of {@code hiddenUnits} (default 64) with ReLU</td></tr>
 * <tr><td>small-cnn</td><td>images</td><td>two 3×3 conv + max-pool stages (16, 32 filters), linear 100,
 *     linear</td></tr>
 * <tr><td>preact-resnet18</td><td>3×32×32</td><td>PreAct ResNet-18 (He et al. 2016b; the adversarial-training
 *     version with BN-ReLU before the pooling)</td></tr>
 * <tr><td>resnet18</td><td>3×32×32</td><td>ResNet-18, CIFAR variant (3×3 stem, no max-pool)</td></tr>
 * <tr><td>wrn</td><td>3×32×32</td><td>Wide-ResNet WRN-{@code depth}-{@code width} (Zagoruyko &amp; Komodakis 2016),
 *     default WRN-34-10</td></tr>
 * </table>
 *
 * @param architecture  architecture id, one of {@link #ARCHITECTURES}
 * @param hiddenUnits   width of the hidden layer of {@code mlp} (default 64); {@code mlp} only
 * @param depth         depth of {@code wrn} (default 34): 6n + 4 with n residual blocks per group (28, 34, ...), or
 *                      6n + 2 as Madry et al. count their WRN-32-10 (n = 5, the blocks of WRN-34-10); {@code wrn} only
 * @param width         widening factor k of {@code wrn} (default 10); {@code wrn} only
 * @param normalization {@code none}, or the dataset id whose per-channel mean and standard deviation the model's first
 *                      layer standardises its inputs with: (x − mean) / std. Default: the run's dataset for the
 *                      32×32 architectures, {@code none} for {@code mlp} and {@code small-cnn}
 */
public record ModelSpec(String architecture, Integer hiddenUnits, Integer depth, Integer width,
                        String normalization) {
    public static final String MLP = "mlp";
    public static final String SMALL_CNN = "small-cnn";
    public static final String PREACT_RESNET18 = "preact-resnet18";
    public static final String RESNET18 = "resnet18";
    public static final String WRN = "wrn";
    /** Every architecture id, in the order they are listed to users. */
    public static final List<String> ARCHITECTURES = List.of(MLP, SMALL_CNN, PREACT_RESNET18, RESNET18, WRN);
    /** The architectures built for 3×32×32 images (CIFAR-10/100, SVHN). */
    public static final Set<String> FOR_32X32 = Set.of(PREACT_RESNET18, RESNET18, WRN);
    /** {@link #normalization()}: inputs go in as they are. */
    public static final String NONE = "none";
    static final int DEFAULT_HIDDEN = 64;
    static final int DEFAULT_DEPTH = 34;
    static final int DEFAULT_WIDTH = 10;

    /** An architecture with the hidden width of {@code mlp} only, the rest left to the defaults. */
    public ModelSpec(String architecture, Integer hiddenUnits) {
        this(architecture, hiddenUnits, null, null, null);
    }

    /**
     * This spec with its defaults for a run on {@code dataset}: the parameters of its architecture filled in, those of
     * other architectures left as given (the validator refuses them).
     */
    ModelSpec withDefaults(String dataset) {
        String a = architecture == null ? MLP : architecture;
        boolean image = DatasetSpec.facts(dataset).map(DatasetSpec.Facts::image).orElse(false);
        String n = normalization != null ? normalization : FOR_32X32.contains(a) && image ? dataset : NONE;
        return new ModelSpec(a,
                hiddenUnits == null && MLP.equals(a) ? Integer.valueOf(DEFAULT_HIDDEN) : hiddenUnits,
                depth == null && WRN.equals(a) ? Integer.valueOf(DEFAULT_DEPTH) : depth,
                width == null && WRN.equals(a) ? Integer.valueOf(DEFAULT_WIDTH) : width, n);
    }

    /**
     * Residual blocks per group of {@code wrn} of this depth: (depth − 4) / 6, or (depth − 2) / 6 for Madry et al.'s
     * count; 0 when the depth is neither 6n + 4 nor 6n + 2 with n ≥ 1.
     */
    public static int wrnBlocksPerGroup(int depth) {
        if (depth >= 10 && (depth - 4) % 6 == 0) {
            return (depth - 4) / 6;
        }
        if (depth >= 8 && (depth - 2) % 6 == 0) {
            return (depth - 2) / 6;
        }
        return 0;
    }

    /**
     * A stable description of the architecture, written into checkpoints and events: the id, then its parameters in
     * parentheses, e.g. {@code mlp(hidden=64)}, {@code small-cnn}, {@code resnet18(normalization=cifar10)},
     * {@code wrn(depth=34,width=10,normalization=cifar10)}; normalization {@code none} is not written.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (hiddenUnits != null) {
            parts.add("hidden=" + hiddenUnits);
        }
        if (depth != null) {
            parts.add("depth=" + depth);
        }
        if (width != null) {
            parts.add("width=" + width);
        }
        if (normalization != null && !NONE.equals(normalization)) {
            parts.add("normalization=" + normalization);
        }
        return parts.isEmpty() ? architecture : architecture + "(" + String.join(",", parts) + ")";
    }
}
