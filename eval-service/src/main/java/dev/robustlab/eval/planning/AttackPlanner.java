package dev.robustlab.eval.planning;

import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the evaluation of one checkpoint into attack jobs. The run's plan measures the first {@code examples} test
 * examples with every attack; each attack's examples are cut into {@code shardCount = ⌈examples / shardSize⌉}
 * shards, shard {@code s} covering {@code [s·shardSize, min((s+1)·shardSize, examples))}, so only the last shard may
 * be shorter. Jobs come out attack by attack (in the plan's order), shard by shard.
 */
public final class AttackPlanner {

    private AttackPlanner() {
    }

    /** The jobs for {@code checkpoint}; empty when the plan does not evaluate its epoch. */
    public static List<AttackRequested> plan(CheckpointCreated checkpoint) {
        RunSpec spec = checkpoint.spec().withDefaults();
        EvaluationPlan plan = spec.evaluation();
        if (!plan.covers(checkpoint.epoch(), checkpoint.epochs())) {
            return List.of();
        }
        ThreatModel threat = spec.threatModel();
        int examples = plan.examples();
        int shardSize = plan.shardSize();
        int shardCount = plan.shardCount();
        List<AttackRequested> jobs = new ArrayList<>(plan.attacks().size() * shardCount);
        for (String attack : plan.attacks()) {
            for (int shard = 0; shard < shardCount; shard++) {
                int offset = shard * shardSize;
                int count = Math.min(shardSize, examples - offset);
                jobs.add(new AttackRequested(
                        AttackRequested.jobId(checkpoint.runId(), checkpoint.epoch(), attack, shard),
                        checkpoint.runId(), checkpoint.epoch(), attack, threat.norm(), threat.epsilon(),
                        plan.stepSize(), spec.dataset(), spec.model(), shard, shardCount, offset, count,
                        ShardSeeds.seed(spec.seed(), checkpoint.epoch(), attack, shard), checkpoint.checkpoint()));
            }
        }
        return jobs;
    }
}
