package dev.robustlab.eval.merging;

import dev.robustlab.contracts.event.RobustnessMeasured;
import java.util.ArrayList;
import java.util.List;

/**
 * Sanity checks of a shard result before it is merged: a result that fails them would corrupt the epoch's
 * accuracy, so the consumer refuses it (it goes to the dead-letter topic) rather than merging it.
 */
public final class ResultCheck {

    private ResultCheck() {
    }

    /** What is wrong with {@code m}; empty when it can be merged. */
    public static List<String> problems(RobustnessMeasured m) {
        List<String> problems = new ArrayList<>();
        if (m.runId() == null || m.runId().isBlank()) {
            problems.add("runId is missing");
        }
        if (m.attack() == null || m.attack().isBlank()) {
            problems.add("attack is missing");
        }
        if (m.epoch() < 1) {
            problems.add("epoch must be ≥ 1, got " + m.epoch());
        }
        if (m.shardCount() < 1 || m.shardIndex() < 0 || m.shardIndex() >= m.shardCount()) {
            problems.add("shard " + m.shardIndex() + " of " + m.shardCount() + " is not a shard");
        }
        if (m.offset() < 0 || m.examples() < 0) {
            problems.add("offset and examples must be ≥ 0");
        }
        if (!(0 <= m.robust() && m.robust() <= m.correctClean() && m.correctClean() <= m.examples())) {
            problems.add("counts must satisfy 0 ≤ robust ≤ correctClean ≤ examples, got robust=" + m.robust()
                    + " correctClean=" + m.correctClean() + " examples=" + m.examples());
        }
        if (m.robustFlags() == null || m.robustFlags().size() != m.examples()) {
            problems.add("robustFlags must hold one flag per example (" + m.examples() + "), got "
                    + (m.robustFlags() == null ? "none" : m.robustFlags().size()));
        } else {
            int flagged = 0;
            boolean nulls = false;
            for (Boolean flag : m.robustFlags()) {
                nulls |= flag == null;
                flagged += Boolean.TRUE.equals(flag) ? 1 : 0;
            }
            if (nulls) {
                problems.add("robustFlags must not contain null");
            } else if (flagged != m.robust()) {
                problems.add("robustFlags has " + flagged + " robust examples but robust=" + m.robust());
            }
        }
        return problems;
    }
}
