package dev.robustlab.contracts.event;

import java.util.List;

/**
 * The result of one attack job. Topic {@code robustness-measured}, key = run id, published by an attack worker,
 * consumed by eval-service, which merges shards idempotently on (run, epoch, attack, shard).
 *
 * @param jobId          the job's id
 * @param runId          run id
 * @param epoch          1-based epoch
 * @param attack         attack id
 * @param shardIndex     0-based shard
 * @param shardCount     shards of this (run, epoch, attack)
 * @param offset         index of the shard's first example
 * @param examples       examples attacked
 * @param correctClean   examples classified correctly without attack
 * @param robust         examples still classified correctly after the attack (a subset of the correct ones)
 * @param robustFlags    per example, in dataset order: correct after the attack
 * @param seconds        wall time of the attack
 * @param worker         which attack worker ran it
 */
public record RobustnessMeasured(String jobId, String runId, int epoch, String attack, int shardIndex,
                                 int shardCount, int offset, int examples, int correctClean, int robust,
                                 List<Boolean> robustFlags, double seconds, String worker) {
}
