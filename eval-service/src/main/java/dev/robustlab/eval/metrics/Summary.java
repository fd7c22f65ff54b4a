package dev.robustlab.eval.metrics;

import java.util.Map;

/**
 * The metrics of one chosen epoch (best or final).
 *
 * @param epoch  1-based epoch
 * @param clean  clean accuracy
 * @param robust robust accuracy per attack
 */
public record Summary(int epoch, double clean, Map<String, Double> robust) {
}
