package dev.robustlab.eval.live;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One update on {@code GET /api/runs/{id}/metrics/stream}. Fields that do not apply to the kind are left out.
 *
 * @param kind           {@code shard} (a shard result was merged), {@code attack-complete} (all shards of an attack
 *                       are in; carries the accuracies) or {@code job-failed}
 * @param runId          run id
 * @param epoch          1-based epoch
 * @param attack         attack id
 * @param shardIndex     the shard ({@code shard}, {@code job-failed})
 * @param done           shards of (epoch, attack) merged so far
 * @param expected       shards (epoch, attack) needs
 * @param examples       examples measured ({@code attack-complete})
 * @param cleanAccuracy  in [0, 1] ({@code attack-complete})
 * @param robustAccuracy in [0, 1] ({@code attack-complete})
 * @param reason         why the job failed ({@code job-failed})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricUpdate(String kind, String runId, int epoch, String attack, Integer shardIndex, Integer done,
                           Integer expected, Integer examples, Double cleanAccuracy, Double robustAccuracy,
                           String reason) {
    public static final String SHARD = "shard";
    public static final String ATTACK_COMPLETE = "attack-complete";
    public static final String JOB_FAILED = "job-failed";

    public static MetricUpdate shard(String runId, int epoch, String attack, int shardIndex, int done, int expected) {
        return new MetricUpdate(SHARD, runId, epoch, attack, shardIndex, done, expected, null, null, null, null);
    }

    public static MetricUpdate attackComplete(String runId, int epoch, String attack, int expected, int examples,
                                              double clean, double robust) {
        return new MetricUpdate(ATTACK_COMPLETE, runId, epoch, attack, null, expected, expected, examples, clean,
                robust, null);
    }

    public static MetricUpdate jobFailed(String runId, int epoch, String attack, int shardIndex, String reason) {
        return new MetricUpdate(JOB_FAILED, runId, epoch, attack, shardIndex, null, null, null, null, null, reason);
    }
}
