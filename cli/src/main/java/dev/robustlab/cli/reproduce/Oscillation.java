package dev.robustlab.cli.reproduce;

import java.util.List;

/**
 * How much a per-epoch accuracy r_1 … r_E jumps from one epoch to the next, the oscillation the PIAT paper's Fig. 3
 * shows for PGD-AT. With the changes Δ_t = r_t − r_{t−1} (t = 2 … E) and the second half of training
 * H = {t : t > ⌊E/2⌋, t ≥ 2}:
 * <pre>
 *   std        = √( (1/|H|) Σ_{t∈H} (Δ_t − Δ̄)² ),  Δ̄ = (1/|H|) Σ_{t∈H} Δ_t      (population standard deviation)
 *   mean |Δ|   = (1/|H|) Σ_{t∈H} |Δ_t|
 *   largest late drop = max(0, max_{t∈H} −Δ_t),   largest drop = max(0, max_{2≤t≤E} −Δ_t)
 * </pre>
 * each drop with the epoch t it ends at. A run that converges smoothly has a small std and mean |Δ| late in
 * training; sudden collapses show as a large drop. The second half is where the comparison matters: early epochs
 * move a lot for every method (and PIAT's α is small early, so it interpolates little there).
 *
 * @param fromEpoch        the first epoch t of H (⌊E/2⌋ + 1, at least 2)
 * @param changes          |H|, the number of changes measured
 * @param stdChange        std of Δ over H; NaN when H is empty
 * @param meanAbsChange    mean |Δ| over H; NaN when H is empty
 * @param lateDrop         the largest decrease between consecutive epochs in H (0 when it never decreases); NaN
 *                         when H is empty
 * @param lateDropEpoch    the epoch t that drop ends at; 0 when there is none
 * @param largestDrop      the largest decrease between consecutive epochs over the whole run (0 when it never
 *                         decreases); NaN for one epoch
 * @param largestDropEpoch the epoch t the largest drop ends at; 0 when there is none
 */
public record Oscillation(int fromEpoch, int changes, double stdChange, double meanAbsChange, double lateDrop,
                          int lateDropEpoch, double largestDrop, int largestDropEpoch) {

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
        int late = largestDropEpoch(series, from);
        int all = largestDropEpoch(series, 2);
        return new Oscillation(from, count, std, meanAbs, drop(series, from, late), late, drop(series, 2, all), all);
    }

    /** The epoch t ≥ from of the largest decrease −Δ_t (the first of equal ones), or 0 when nothing decreases. */
    private static int largestDropEpoch(List<Double> series, int from) {
        int epoch = 0;
        double largest = 0;
        for (int t = from; t <= series.size(); t++) {
            double decrease = -change(series, t);
            if (decrease > largest) {
                largest = decrease;
                epoch = t;
            }
        }
        return epoch;
    }

    /** The drop ending at epoch t (0 when t is 0), or NaN when no change from {@code from} on exists. */
    private static double drop(List<Double> series, int from, int t) {
        if (from > series.size()) {
            return Double.NaN;
        }
        return t == 0 ? 0 : -change(series, t);
    }

    /** Δ_t, t 1-based. */
    private static double change(List<Double> series, int t) {
        return series.get(t - 1) - series.get(t - 2);
    }
}
