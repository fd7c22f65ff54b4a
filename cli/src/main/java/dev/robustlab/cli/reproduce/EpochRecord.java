package dev.robustlab.cli.reproduce;

import java.util.Map;

/**
 * What one epoch of one method trained and measured.
 *
 * @param epoch             1-based epoch
 * @param trainLoss         mean training objective over the epoch's batches
 * @param trainAccuracy     accuracy on the examples the objective trained on (adversarial ones for PGD-AT)
 * @param piatAlpha         the α PIAT interpolated with after this epoch, or null without PIAT
 * @param metrics           accuracies of the epoch's checkpoint on the evaluated test examples, as fractions:
 *                          {@code clean}, then robust accuracy per attack id, in evaluation order
 * @param trainSeconds      wall time of the training epoch
 * @param evaluationSeconds wall time of the evaluation
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, Double piatAlpha,
                          Map<String, Double> metrics, double trainSeconds, double evaluationSeconds) {
    /** Key of the clean accuracy in {@link #metrics()}. */
    public static final String CLEAN = "clean";

    public EpochRecord {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** The accuracy {@code key} ({@link #CLEAN} or an attack id). */
    public double metric(String key) {
        Double value = metrics.get(key);
        if (value == null) {
            throw new IllegalArgumentException("epoch " + epoch + " has no metric '" + key + "'; it has "
                    + metrics.keySet());
        }
        return value;
    }
}
