package dev.robustlab.ml.attack.autoattack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.FrozenParameters;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sanity checks of fra31/auto-attack ({@code checks.py}): signs that an evaluation would overstate robustness.
 * Each returns a warning, or nothing when the model looks fine. They never stop an evaluation.
 * <ul>
 * <li>{@link #probabilities}: the outputs lie in [0,1] and every row sums to 1 (tolerance 10⁻⁵): the model returns
 *     probabilities, and the attacks' losses (cross-entropy, DLR, margin) need logits;</li>
 * <li>{@link #zeroGradients}: points whose cross-entropy gradient is zero (Σ|∇| &lt; 10⁻¹⁰): gradient-based attacks
 *     cannot move there;</li>
 * <li>{@link #squareBeatWhiteBox}: the black-box Square attack broke more than a share α (default 0.002) of the
 *     examples that every white-box attack before it left robust: a sign of gradient masking;</li>
 * <li>{@link #randomised}: two forward passes on the same inputs differ (outputs normalised per row, tolerance
 *     10⁻⁴, or a different prediction): a randomised model, to be evaluated with the {@code rand} version.</li>
 * </ul>
 */
public final class SanityChecks {
    /** The reference's tolerance for Square's extra successes: 0.2% of the examples. */
    public static final double DEFAULT_SQUARE_TOLERANCE = 0.002;
    private static final double PROBABILITY_TOLERANCE = 1e-5;
    private static final double ZERO_GRADIENT = 1e-10;
    private static final double RANDOMNESS_TOLERANCE = 1e-4;

    private SanityChecks() {
    }

    /**
     * Whether outputs {@code (B, K)} row-major look like probabilities rather than logits.
     *
     * @param outputs the model's outputs on clean inputs
     * @param classes K
     */
    public static Optional<String> probabilities(float[] outputs, int classes) {
        if (outputs.length == 0) {
            return Optional.empty();
        }
        for (int row = 0; row < outputs.length / classes; row++) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                float v = outputs[row * classes + k];
                if (v > 1 + PROBABILITY_TOLERANCE || v < -PROBABILITY_TOLERANCE) {
                    return Optional.empty();
                }
                sum += v;
            }
            if (Math.abs(sum - 1) >= PROBABILITY_TOLERANCE) {
                return Optional.empty();
            }
        }
        return Optional.of("the model's outputs look like probabilities (in [0,1], rows sum to 1): the attacks need "
                + "logits; evaluate the model without its final softmax");
    }

    /**
     * Points where the gradient of the cross-entropy with respect to the input is zero.
     *
     * @param x      inputs {@code (B, ...)}
     * @param labels labels {@code (B)} INT64
     */
    public static Optional<String> zeroGradients(Classifier model, NDArray x, NDArray labels) {
        float[] sizes;
        try (NDManager scope = x.getManager().newSubManager();
             FrozenParameters frozen = FrozenParameters.freeze(model)) {
            NDArray leaf = x.stopGradient();
            leaf.attach(scope);
            NDArray ys = labels.stopGradient();
            ys.attach(scope);
            leaf.setRequiresGradient(true);
            try (GradientScope gradients = GradientScope.open()) {
                NDArray logits = model.logits(leaf, false);
                gradients.backward(LogitLoss.crossEntropy().perExample(logits, ys).sum());
            }
            NDArray gradient = leaf.getGradient();
            gradient.attach(scope);
            int batch = Math.toIntExact(x.getShape().get(0));
            sizes = gradient.abs().reshape(batch, -1).sum(new int[] {1}).toFloatArray();
        }
        int zero = 0;
        for (float size : sizes) {
            zero += size < ZERO_GRADIENT ? 1 : 0;
        }
        if (zero == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%d of %d points have a zero gradient: gradient-based attacks "
                + "cannot move there and their evaluation may be unreliable", zero, sizes.length));
    }

    /**
     * Whether the Square attack broke points that all white-box attacks before it left robust, on more than a share
     * {@code tolerance} of the examples. Silent when Square did not run or ran first.
     *
     * @param steps     the report's steps, in order
     * @param total     examples evaluated
     * @param squareId  the id Square ran under
     * @param tolerance α, a share of {@code total}
     */
    public static Optional<String> squareBeatWhiteBox(List<AutoAttackReport.Step> steps, int total, String squareId,
                                                      double tolerance) {
        boolean whiteBoxBefore = false;
        for (AutoAttackReport.Step step : steps) {
            if (step.attack().equals(squareId)) {
                if (!step.skipped() && whiteBoxBefore && step.broken() > tolerance * total) {
                    return Optional.of(String.format(Locale.ROOT, "%s (black-box) broke %d points that the "
                            + "white-box attacks before it left robust (%.2f%% of the examples): possible gradient "
                            + "masking; consider more Square queries and restarts or an adaptive attack",
                            squareId, step.broken(), 100.0 * step.broken() / Math.max(total, 1)));
                }
                return Optional.empty();
            }
            whiteBoxBefore |= !step.skipped() && step.attacked() > 0;
        }
        return Optional.empty();
    }

    /**
     * Whether two forward passes on the same inputs disagree.
     *
     * @param first   outputs {@code (B, K)} of one pass
     * @param second  outputs of a second pass on the same inputs
     * @param classes K
     */
    public static Optional<String> randomised(float[] first, float[] second, int classes) {
        int rows = first.length / classes;
        for (int row = 0; row < rows; row++) {
            double a = rowNorm(first, row, classes);
            double b = rowNorm(second, row, classes);
            int argA = 0;
            int argB = 0;
            for (int k = 0; k < classes; k++) {
                int j = row * classes + k;
                if (Math.abs(first[j] / (a + 1e-10) - second[j] / (b + 1e-10)) > RANDOMNESS_TOLERANCE) {
                    return Optional.of(randomMessage());
                }
                argA = first[j] > first[row * classes + argA] ? k : argA;
                argB = second[j] > second[row * classes + argB] ? k : argB;
            }
            if (argA != argB) {
                return Optional.of(randomMessage());
            }
        }
        return Optional.empty();
    }

    private static String randomMessage() {
        return "two forward passes on the same inputs differ: the model seems randomised; evaluate it with the "
                + "'rand' version (expectation over several draws)";
    }

    private static double rowNorm(float[] outputs, int row, int classes) {
        double squares = 0;
        for (int k = 0; k < classes; k++) {
            double v = outputs[row * classes + k];
            squares += v * v;
        }
        return Math.sqrt(squares);
    }
}
