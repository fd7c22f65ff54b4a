package dev.robustlab.contracts;

import java.util.List;

/**
 * Kafka topic names, kebab-case, one per kind of event. Services, tests, docker-compose and the Kubernetes
 * manifests all use these names; {@link #ALL} lists them for tooling that creates topics.
 */
public final class Topics {
    /** {@link dev.robustlab.contracts.event.RunRequested}, keyed by run id. Published by the gateway. */
    public static final String RUN_REQUESTED = "run-requested";
    /** {@link dev.robustlab.contracts.event.RunStatusChanged}, keyed by run id. Published by trainers. */
    public static final String RUN_STATUS = "run-status";
    /** {@link dev.robustlab.contracts.event.CheckpointCreated}, keyed by run id. Published by trainers. */
    public static final String CHECKPOINT_CREATED = "checkpoint-created";
    /**
     * {@link dev.robustlab.contracts.event.AttackRequested}, keyed by job id so that the shards of one
     * checkpoint spread over partitions and therefore over attack workers. Published by eval-service.
     */
    public static final String ATTACK_REQUESTED = "attack-requested";
    /** {@link dev.robustlab.contracts.event.RobustnessMeasured}, keyed by run id. Published by attack workers. */
    public static final String ROBUSTNESS_MEASURED = "robustness-measured";
    /** {@link dev.robustlab.contracts.event.AttackFailed}, keyed by run id. Published by attack workers. */
    public static final String ATTACK_FAILED = "attack-failed";
    /** {@link dev.robustlab.contracts.event.EpochMetricRecorded}, keyed by run id. Published by eval-service. */
    public static final String EPOCH_METRICS = "epoch-metrics";

    /** Partitions of {@link #ATTACK_REQUESTED}: the ceiling on useful attack-service replicas. */
    public static final int ATTACK_REQUESTED_PARTITIONS = 12;

    /** Every topic that carries events, without the dead-letter topics. */
    public static final List<String> ALL = List.of(RUN_REQUESTED, RUN_STATUS, CHECKPOINT_CREATED, ATTACK_REQUESTED,
            ROBUSTNESS_MEASURED, ATTACK_FAILED, EPOCH_METRICS);

    private Topics() {
    }

    /** The dead-letter topic that takes the records a consumer of {@code topic} could not process. */
    public static String deadLetter(String topic) {
        return topic + "-dlq";
    }
}
