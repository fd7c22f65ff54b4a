package dev.robustlab.contracts.event;

import dev.robustlab.contracts.spec.RunSpec;
import java.time.Instant;

/**
 * A checkpoint written after an epoch. Topic {@code checkpoint-created}, key = run id, published by the trainer
 * once the parameters and the manifest are in the bucket; consumed by eval-service, which plans attack jobs.
 *
 * @param runId        run id
 * @param epoch        1-based epoch
 * @param epochs       epochs of the run
 * @param architecture architecture description, as in {@link dev.robustlab.contracts.spec.ModelSpec#describe()}
 * @param checkpoint   where the parameters are
 * @param spec         the run's complete spec (the evaluation plan and the dataset travel with it)
 * @param createdAt    when the upload finished
 */
public record CheckpointCreated(String runId, int epoch, int epochs, String architecture, CheckpointRef checkpoint,
                                RunSpec spec, Instant createdAt) {
}
