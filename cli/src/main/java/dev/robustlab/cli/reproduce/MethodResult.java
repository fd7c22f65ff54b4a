package dev.robustlab.cli.reproduce;

import dev.robustlab.contracts.spec.RunSpec;

import java.util.List;
import java.util.Map;

/**
 * One arm of a study, trained and measured.
 *
 * @param method        the arm
 * @param spec          the run it trained, defaults filled in
 * @param epochs        one record per epoch, in order
 * @param measuredLater epoch → attack id → robust accuracy, for the attacks run on the best and final checkpoints
 *                      only (AutoAttack); empty when there are none
 * @param bestFinal     best (by the selection attack), final and diff, with the later attacks included
 * @param oscillation   the oscillation of the selection attack's robust accuracy over the epochs
 * @param seconds       wall time of the arm: training, per-epoch and later evaluation
 */
public record MethodResult(StudyMethod method, RunSpec spec, List<EpochRecord> epochs,
                           Map<Integer, Map<String, Double>> measuredLater, BestFinal bestFinal,
                           Oscillation oscillation, double seconds) {
    public MethodResult {
        epochs = List.copyOf(epochs);
        measuredLater = Map.copyOf(measuredLater);
    }

    /** The accuracy {@code key} ({@code clean} or an attack id) of every epoch, in order. */
    public List<Double> series(String key) {
        return epochs.stream().map(e -> e.metric(key)).toList();
    }
}
