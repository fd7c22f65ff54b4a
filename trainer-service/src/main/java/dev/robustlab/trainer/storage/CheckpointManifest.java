package dev.robustlab.trainer.storage;

import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.spec.RunSpec;
import java.time.Instant;

/**
 * {@code manifest.json} beside a checkpoint: enough to reload and verify it without any database.
 *
 * @param runId         run id
 * @param epoch         1-based epoch
 * @param epochs        epochs of the run
 * @param spec          the run's complete spec
 * @param architecture  {@link dev.robustlab.contracts.spec.ModelSpec#describe()}
 * @param sha256        lowercase hex SHA-256 of the parameters file
 * @param sizeBytes     its size
 * @param createdAt     when the parameters were uploaded
 * @param objectKey     key of the parameters file
 * @param trainer       trainer instance that wrote it
 * @param trainLoss     mean training loss of the epoch
 * @param trainAccuracy training accuracy of the epoch
 * @param epochSeconds  wall time of the epoch
 * @param piatAlpha     PIAT's α after this epoch, or null without PIAT
 */
public record CheckpointManifest(String runId, int epoch, int epochs, RunSpec spec, String architecture,
                                 String sha256, long sizeBytes, Instant createdAt, String objectKey, String trainer,
                                 Double trainLoss, Double trainAccuracy, Double epochSeconds, Double piatAlpha) {

    /** This manifest with {@code createdAt} set. */
    public CheckpointManifest withCreatedAt(Instant at) {
        return new CheckpointManifest(runId, epoch, epochs, spec, architecture, sha256, sizeBytes, at, objectKey,
                trainer, trainLoss, trainAccuracy, epochSeconds, piatAlpha);
    }

    /** Where the checkpoint lives, as events carry it. */
    public CheckpointRef ref(String bucket) {
        return new CheckpointRef(bucket, objectKey, CheckpointKeys.manifest(runId, epoch), sha256, sizeBytes);
    }
}
