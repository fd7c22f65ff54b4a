package dev.robustlab.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Best, final and their difference, as in the PIAT paper's Table I. Only complete epochs take part:
 * <ul>
 *   <li>best = the complete epoch with the highest robust accuracy under the selection attack (PGD-20); on a tie,
 *       the earlier epoch;</li>
 *   <li>final = the complete epoch with the highest number;</li>
 *   <li>diff = best − final for the clean accuracy and each attack (a positive robust diff is robust
 *       overfitting: robustness lost by training on).</li>
 * </ul>
 *
 * @param selectedBy the attack that chose the best epoch
 * @param best       the best epoch
 * @param last       the final epoch
 * @param diff       best minus final, keyed {@code clean} and by attack id
 */
public record BestFinal(String selectedBy, Summary best, Summary last, Map<String, Double> diff) {
    /** Key of the clean accuracy in {@link #diff()}. */
    public static final String CLEAN = "clean";

    /** Best, final and diff of {@code epochs} (in any order); empty when no epoch is complete. */
    public static Optional<BestFinal> of(List<EpochMetrics> epochs, String selectedBy) {
        EpochMetrics best = null;
        EpochMetrics last = null;
        for (EpochMetrics e : epochs) {
            if (!e.complete()) {
                continue;
            }
            if (last == null || e.epoch() > last.epoch()) {
                last = e;
            }
            double score = score(e, selectedBy);
            if (best == null || score > score(best, selectedBy)
                    || (score == score(best, selectedBy) && e.epoch() < best.epoch())) {
                best = e;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Map<String, Double> diff = new LinkedHashMap<>();
        diff.put(CLEAN, best.clean() - last.clean());
        for (Map.Entry<String, Double> robust : best.robust().entrySet()) {
            Double lastValue = last.robust().get(robust.getKey());
            if (robust.getValue() != null && lastValue != null) {
                diff.put(robust.getKey(), robust.getValue() - lastValue);
            }
        }
        return Optional.of(new BestFinal(selectedBy, summary(best), summary(last), diff));
    }

    private static double score(EpochMetrics e, String attack) {
        Double value = e.robust().get(attack);
        return value == null ? Double.NEGATIVE_INFINITY : value;
    }

    private static Summary summary(EpochMetrics e) {
        return new Summary(e.epoch(), e.clean(), e.robust());
    }
}
