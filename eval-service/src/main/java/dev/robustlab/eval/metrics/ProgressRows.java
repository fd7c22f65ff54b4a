package dev.robustlab.eval.metrics;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.eval.merging.AttackAccuracy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Assembles {@link EpochProgress} from what storage knows: the planned checkpoints, the planned jobs, the merged
 * shard results and the completed attacks. An epoch that was never planned (results arrived without a checkpoint
 * event, e.g. replayed from another cluster) takes its attacks and shard counts from the results themselves.
 */
public final class ProgressRows {

    /** A planned checkpoint and the attacks its plan runs, in order. */
    public record PlannedEpoch(int epoch, List<String> attacks) {
    }

    /** Jobs planned for one (epoch, attack). */
    public record PlannedAttack(int epoch, String attack, int jobs) {
    }

    /** Shard results merged for one (epoch, attack), and the shard count they announce. */
    public record MeasuredAttack(int epoch, String attack, int shards, int shardCount) {
    }

    /** A completed (epoch, attack). */
    public record CompletedAttack(int epoch, String attack, AttackAccuracy accuracy) {
    }

    private ProgressRows() {
    }

    /** One {@link EpochProgress} per epoch that was planned or measured, in epoch order. */
    public static List<EpochProgress> assemble(List<PlannedEpoch> planned, List<PlannedAttack> jobs,
                                               List<MeasuredAttack> measured, List<CompletedAttack> completed) {
        TreeSet<Integer> epochs = new TreeSet<>();
        Map<Integer, List<String>> attacksOf = new HashMap<>();
        planned.forEach(p -> {
            epochs.add(p.epoch());
            attacksOf.put(p.epoch(), p.attacks());
        });
        measured.forEach(m -> epochs.add(m.epoch()));
        Map<String, Integer> plannedJobs = new HashMap<>();
        jobs.forEach(j -> plannedJobs.merge(key(j.epoch(), j.attack()), j.jobs(), Integer::sum));
        Map<String, MeasuredAttack> measuredOf = new HashMap<>();
        Map<Integer, TreeSet<String>> seen = new TreeMap<>();
        measured.forEach(m -> {
            measuredOf.put(key(m.epoch(), m.attack()), m);
            seen.computeIfAbsent(m.epoch(), e -> new TreeSet<>(ATTACK_ORDER)).add(m.attack());
        });
        Map<Integer, Map<String, AttackAccuracy>> completeOf = new HashMap<>();
        completed.forEach(c -> completeOf.computeIfAbsent(c.epoch(), e -> new LinkedHashMap<>())
                .put(c.attack(), c.accuracy()));

        List<EpochProgress> rows = new ArrayList<>();
        for (int epoch : epochs) {
            List<String> attacks = attacksOf.containsKey(epoch) ? attacksOf.get(epoch)
                    : List.copyOf(seen.getOrDefault(epoch, new TreeSet<>()));
            int expected = 0;
            int done = 0;
            for (String attack : attacks) {
                MeasuredAttack m = measuredOf.get(key(epoch, attack));
                int jobCount = plannedJobs.getOrDefault(key(epoch, attack), 0);
                expected += jobCount > 0 ? jobCount : (m == null ? 0 : m.shardCount());
                done += m == null ? 0 : m.shards();
            }
            rows.add(new EpochProgress(epoch, attacks, expected, done,
                    completeOf.getOrDefault(epoch, Map.of())));
        }
        return rows;
    }

    /** Known attacks in the order the contracts list them, then any other id alphabetically. */
    static final Comparator<String> ATTACK_ORDER = Comparator
            .comparingInt((String a) -> {
                int i = EvaluationPlan.KNOWN_ATTACKS.indexOf(a);
                return i < 0 ? Integer.MAX_VALUE : i;
            })
            .thenComparing(Comparator.naturalOrder());

    private static String key(int epoch, String attack) {
        return epoch + "/" + attack;
    }
}
