package dev.robustlab.contracts;

/**
 * CloudEvents {@code type} attributes. A type carries a version that changes only on a breaking change; fields
 * are only ever added. Binary mode puts the attributes into Kafka headers ({@code ce_type}, {@code ce_id},
 * {@code ce_source}, {@code ce_time}, {@code ce_specversion}); {@code source} + {@code id} identify an event.
 */
public final class EventTypes {
    public static final String RUN_REQUESTED = "dev.robustlab.run.requested.v1";
    public static final String RUN_STARTED = "dev.robustlab.run.started.v1";
    public static final String RUN_EPOCH_COMPLETED = "dev.robustlab.run.epoch-completed.v1";
    public static final String RUN_COMPLETED = "dev.robustlab.run.completed.v1";
    public static final String RUN_FAILED = "dev.robustlab.run.failed.v1";
    public static final String CHECKPOINT_CREATED = "dev.robustlab.checkpoint.created.v1";
    public static final String ATTACK_REQUESTED = "dev.robustlab.attack.requested.v1";
    public static final String ROBUSTNESS_MEASURED = "dev.robustlab.robustness.measured.v1";
    public static final String ATTACK_FAILED = "dev.robustlab.attack.failed.v1";
    public static final String EPOCH_METRIC_RECORDED = "dev.robustlab.metric.recorded.v1";

    private EventTypes() {
    }
}
