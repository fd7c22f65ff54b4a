package dev.robustlab.eval.metrics;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.eval.merging.AttackAccuracy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The metrics of a run: one row per evaluated epoch (in epoch order) and the best / final / diff summary.
 *
 * @param attacks   every attack of the run, in the plan's order
 * @param epochs    the rows
 * @param bestFinal the summary, empty until an epoch is complete
 */
public record RunMetrics(List<String> attacks, List<EpochMetrics> epochs, Optional<BestFinal> bestFinal) {

    /** Builds the rows from what is known per epoch and chooses best and final. */
    public static RunMetrics of(List<EpochProgress> progress) {
        Set<String> attacks = new LinkedHashSet<>();
        progress.stream().sorted(Comparator.comparingInt(EpochProgress::epoch))
                .forEach(p -> attacks.addAll(p.attacks()));
        List<EpochMetrics> rows = new ArrayList<>();
        progress.stream().sorted(Comparator.comparingInt(EpochProgress::epoch)).forEach(p -> rows.add(row(p)));
        List<String> attackList = List.copyOf(attacks);
        return new RunMetrics(attackList, rows, BestFinal.of(rows, selectionAttack(attackList)));
    }

    /** PGD-20 as in the papers; a run that does not measure it is ranked by its first attack. */
    public static String selectionAttack(List<String> attacks) {
        return attacks.contains(EvaluationPlan.PGD_20) || attacks.isEmpty() ? EvaluationPlan.PGD_20 : attacks.get(0);
    }

    private static EpochMetrics row(EpochProgress p) {
        Map<String, Double> robust = new LinkedHashMap<>();
        for (String attack : p.attacks()) {
            AttackAccuracy a = p.complete().get(attack);
            robust.put(attack, a == null ? null : a.robustAccuracy());
        }
        boolean complete = !p.attacks().isEmpty() && p.attacks().stream().allMatch(p.complete()::containsKey);
        return new EpochMetrics(p.epoch(), clean(p), robust, complete, p.doneShards(), p.expectedShards());
    }

    /**
     * Every job measures clean accuracy on the same examples, so any complete attack gives it; PGD-20's is preferred
     * so that the number does not change once a second attack completes.
     */
    private static Double clean(EpochProgress p) {
        AttackAccuracy preferred = p.complete().get(EvaluationPlan.PGD_20);
        if (preferred != null) {
            return preferred.cleanAccuracy();
        }
        for (String attack : p.attacks()) {
            AttackAccuracy a = p.complete().get(attack);
            if (a != null) {
                return a.cleanAccuracy();
            }
        }
        return null;
    }
}
