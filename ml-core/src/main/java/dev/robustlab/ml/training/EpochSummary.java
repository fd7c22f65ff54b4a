package dev.robustlab.ml.training;

/**
 * What one epoch of training did.
 *
 * @param epoch         1-based epoch
 * @param trainLoss     mean objective over the epoch's batches
 * @param trainAccuracy accuracy on the examples the objective trained on (adversarial ones for PGD-AT)
 * @param seconds       wall time of the epoch
 * @param piatAlpha     the α used to interpolate after this epoch, or null without PIAT
 */
public record EpochSummary(int epoch, double trainLoss, double trainAccuracy, double seconds, Double piatAlpha) {
}
