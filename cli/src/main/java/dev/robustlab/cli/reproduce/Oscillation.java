package dev.robustlab.cli.reproduce;

import java.util.List;

/**
 * How much a per-epoch accuracy r_1 … r_E jumps from one epoch to the next, the oscillation the PIAT paper's Fig. 3
 * shows for PGD-AT. With the changes Δ_t = r_t − r_{t−1} (t = 2 … E) and the second half of training
 * H = {t : t > ⌊E/2⌋, t ≥ 2}:
 * <pre>
 *   std        = √( (1/|H|) Σ_{t∈H} (Δ_t − Δ̄)² ),  Δ̄ = (1/|H|) Σ_{t∈H} Δ_t      (population standard deviation)
 *   mean |Δ|   = (1/|H|) Σ_{t∈H} |Δ_t|
 *   largest drop = max_{2≤t≤E} (−Δ_t), at the epoch t where it happens (over the whole run)
 * </pre>
 * A run that converges smoothly has a small std and mean |Δ| late in training; sudden collapses show as a large
 * drop. The second half is where the paper's comparison matters: early epochs move a lot for every method.
 *
 * @param fromEpoch        the first epoch t of H (⌊E/2⌋ + 1, at least 2)
 * @param changes          |H|, the number of changes measured
 * @param stdChange        std of Δ over H; NaN when H is empty
 * @param meanAbsChange    mean |Δ| over H; NaN when H is empty
 * @param largestDrop      the largest decrease between consecutive epochs (0 when it never decreases); NaN for one
 *                         epoch
 * @param largestDropEpoch the epoch t the largest drop ends at; 0 when there is none
 */
public record Oscillation(int fromEpoch, int changes, double stdChange, double meanAbsChange, double largestDrop,
                          int largestDropEpoch) {

    /** The summary of {@code series}, r_1 first. */
    public static Oscillation of(List<Double> series) {
        int epochs = series.size();
        if (epochs == 0) {
            throw new IllegalArgumentException("no epoch to summarise");
        }
        int from = Math.max(2, epochs / 2 + 1);
        int count = Math.max(0, epochs - from + 1);
        double sum = 0;
        double absSum = 0;
        for (int t = from; t <= epochs; t++) {
            double change = change(series, t);
            sum += change;
            absSum += Math.abs(change);
        }
        double std = Double.NaN;
        double meanAbs = Double.NaN;
        if (count > 0) {
            double mean = sum / count;
            double squares = 0;
            for (int t = from; t <= epochs; t++) {
                double deviation = change(series, t) - mean;
                squares += deviation * deviation;
            }
            std = Math.sqrt(squares / count);
            meanAbs = absSum / count;
        }
        double drop = epochs < 2 ? Double.NaN : 0;
        int dropEpoch = 0;
        for (int t = 2; t <= epochs; t++) {
            double decrease = -change(series, t);
            if (decrease > drop) {
                drop = decrease;
                dropEpoch = t;
            }
        }
        return new Oscillation(from, count, std, meanAbs, drop, dropEpoch);
    }

    /** Δ_t, t 1-based. */
    private static double change(List<Double> series, int t) {
        return series.get(t - 1) - series.get(t - 2);
    }
}
