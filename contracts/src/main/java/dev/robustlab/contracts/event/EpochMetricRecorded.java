package dev.robustlab.contracts.event;

/**
 * A compact metric for dashboards, once every shard of a (run, epoch, attack) is merged. Topic
 * {@code epoch-metrics}, key = run id, published by eval-service.
 *
 * @param runId          run id
 * @param epoch          1-based epoch
 * @param attack         attack id
 * @param examples       examples measured
 * @param cleanAccuracy  clean accuracy in [0,1]
 * @param robustAccuracy robust accuracy under the attack in [0,1]
 */
public record EpochMetricRecorded(String runId, int epoch, String attack, int examples, double cleanAccuracy,
                                  double robustAccuracy) {
}
