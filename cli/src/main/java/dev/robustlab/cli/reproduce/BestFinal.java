package dev.robustlab.cli.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Best, final and their difference, as in the PIAT paper's Table I and as eval-service reports them:
 * <ul>
 *   <li>best = the epoch with the highest robust accuracy under the selection attack (PGD-20); on a tie, the
 *       earlier epoch;</li>
 *   <li>final = the last epoch;</li>
 *   <li>diff = best − final, for the clean accuracy and each attack measured at both (a positive robust diff is
 *       robustness lost by training on).</li>
 * </ul>
 *
 * @param selectedBy the attack that chose the best epoch
 * @param best       the best epoch and its accuracies
 * @param last       the final epoch and its accuracies
 * @param diff       best minus final, keyed {@code clean} and by attack id
 */
public record BestFinal(String selectedBy, Summary best, Summary last, Map<String, Double> diff) {

    /**
     * One chosen epoch.
     *
     * @param epoch   1-based epoch
     * @param metrics {@code clean} and robust accuracy per attack id, fractions
     */
    public record Summary(int epoch, Map<String, Double> metrics) {
        public Summary {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    /**
     * Best and final of {@code epochs} (in epoch order), with the accuracies each epoch has plus, for the chosen
     * epochs, those of {@code measuredLater} (attacks run on the best and final checkpoints only, e.g. AutoAttack).
     *
     * @param measuredLater epoch → attack id → accuracy; may be empty
     * @throws IllegalArgumentException when there is no epoch or an epoch lacks the selection attack
     */
    public static BestFinal of(List<EpochRecord> epochs, String selectedBy,
                               Map<Integer, Map<String, Double>> measuredLater) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epoch to choose from");
        }
        EpochRecord best = epochs.get(0);
        for (EpochRecord epoch : epochs) {
            if (epoch.metric(selectedBy) > best.metric(selectedBy)) {
                best = epoch;
            }
        }
        EpochRecord last = epochs.get(epochs.size() - 1);
        Summary bestSummary = summary(best, measuredLater);
        Summary lastSummary = summary(last, measuredLater);
        Map<String, Double> diff = new LinkedHashMap<>();
        bestSummary.metrics().forEach((key, value) -> {
            Double lastValue = lastSummary.metrics().get(key);
            if (lastValue != null) {
                diff.put(key, value - lastValue);
            }
        });
        return new BestFinal(selectedBy, bestSummary, lastSummary, java.util.Collections.unmodifiableMap(diff));
    }

    private static Summary summary(EpochRecord epoch, Map<Integer, Map<String, Double>> measuredLater) {
        Map<String, Double> metrics = new LinkedHashMap<>(epoch.metrics());
        metrics.putAll(measuredLater.getOrDefault(epoch.epoch(), Map.of()));
        return new Summary(epoch.epoch(), metrics);
    }
}
