package dev.robustlab.eval.messaging;

import dev.robustlab.contracts.Topics;

/** Channel names of eval-service (each channel is bound to the topic of the same name). Tests reuse them. */
public final class Channels {
    /** Incoming {@code CheckpointCreated}. */
    public static final String CHECKPOINT_CREATED = Topics.CHECKPOINT_CREATED;
    /** Incoming {@code RobustnessMeasured}. */
    public static final String ROBUSTNESS_MEASURED = Topics.ROBUSTNESS_MEASURED;
    /** Incoming {@code AttackFailed}. */
    public static final String ATTACK_FAILED = Topics.ATTACK_FAILED;
    /** Outgoing {@code AttackRequested}, keyed by job id. */
    public static final String ATTACK_REQUESTED = Topics.ATTACK_REQUESTED;
    /** Outgoing {@code EpochMetricRecorded}, keyed by run id. */
    public static final String EPOCH_METRICS = Topics.EPOCH_METRICS;
    /** Consumer group id. */
    public static final String GROUP = "eval-service";

    private Channels() {
    }
}
