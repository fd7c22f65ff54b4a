package dev.robustlab.eval.metrics;

import dev.robustlab.eval.merging.AttackAccuracy;
import java.util.List;
import java.util.Map;

/**
 * What is known about one evaluated epoch of a run.
 *
 * @param epoch          1-based epoch
 * @param attacks        the attacks that measure it, in the plan's order
 * @param expectedShards attack jobs the epoch needs (all attacks)
 * @param doneShards     attack jobs whose results are merged
 * @param complete       the attacks whose shards are all merged, with their accuracy
 */
public record EpochProgress(int epoch, List<String> attacks, int expectedShards, int doneShards,
                            Map<String, AttackAccuracy> complete) {
}
