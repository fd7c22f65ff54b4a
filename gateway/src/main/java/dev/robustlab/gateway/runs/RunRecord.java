package dev.robustlab.gateway.runs;

import dev.robustlab.contracts.spec.RunSpec;
import java.time.Instant;

/**
 * A run in the gateway's table.
 *
 * @param id            run id (a UUID)
 * @param name          the spec's label
 * @param status        one of {@link RunStatus}
 * @param epoch         last completed epoch, null before the first
 * @param epochs        epochs the run trains
 * @param trainLoss     training loss of the last completed epoch
 * @param trainAccuracy training accuracy of the last completed epoch
 * @param failureReason why it failed ({@code failed} only)
 * @param trainer       the trainer instance that holds it
 * @param spec          the complete spec
 * @param createdAt     when the gateway accepted it
 * @param updatedAt     when it last changed
 * @param startedAt     when a trainer started it
 * @param finishedAt    when it completed or failed
 */
public record RunRecord(String id, String name, String status, Integer epoch, int epochs, Double trainLoss,
                        Double trainAccuracy, String failureReason, String trainer, RunSpec spec, Instant createdAt,
                        Instant updatedAt, Instant startedAt, Instant finishedAt) {

    /** A freshly accepted run. */
    public static RunRecord requested(String id, RunSpec spec, Instant at) {
        return new RunRecord(id, spec.name(), RunStatus.REQUESTED, null, spec.epochs(), null, null, null, null, spec,
                at, at, null, null);
    }

    RunRecord withStatus(String newStatus, Instant at) {
        return new RunRecord(id, name, newStatus, epoch, epochs, trainLoss, trainAccuracy, failureReason, trainer,
                spec, createdAt, at, startedAt, finishedAt);
    }
}
