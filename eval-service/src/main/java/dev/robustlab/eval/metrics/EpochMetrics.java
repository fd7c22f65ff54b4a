package dev.robustlab.eval.metrics;

import java.util.Map;

/**
 * One row of a run's metrics.
 *
 * @param epoch    1-based epoch
 * @param clean    clean accuracy, or null until one attack of the epoch is complete
 * @param robust   robust accuracy per attack (in the plan's order); null for an attack still in progress
 * @param complete whether every attack of the epoch is complete
 * @param done     attack jobs merged
 * @param expected attack jobs the epoch needs
 */
public record EpochMetrics(int epoch, Double clean, Map<String, Double> robust, boolean complete, int done,
                           int expected) {
}
