package dev.robustlab.contracts.event;

import java.time.Instant;

/**
 * Progress of a run. Topic {@code run-status}, key = run id, published by the trainer that holds the run.
 * The CloudEvents type follows {@code phase}: run.started, run.epoch-completed, run.completed, run.failed.
 *
 * @param runId         run id
 * @param phase         {@code started}, {@code epoch-completed}, {@code completed} or {@code failed}
 * @param epoch         1-based epoch just completed ({@code epoch-completed}, {@code completed}); else null
 * @param epochs        epochs the run will train
 * @param trainLoss     mean training loss of the epoch (on the training examples the objective uses)
 * @param trainAccuracy training accuracy of the epoch, on the examples the objective trains on
 * @param epochSeconds  wall time of the epoch
 * @param reason        why the run failed ({@code failed} only)
 * @param trainer       which trainer instance holds the run
 * @param at            when it happened
 */
public record RunStatusChanged(String runId, String phase, Integer epoch, Integer epochs, Double trainLoss,
                               Double trainAccuracy, Double epochSeconds, String reason, String trainer,
                               Instant at) {
    public static final String STARTED = "started";
    public static final String EPOCH_COMPLETED = "epoch-completed";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
