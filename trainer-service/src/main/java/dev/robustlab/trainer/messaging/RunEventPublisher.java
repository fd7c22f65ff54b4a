package dev.robustlab.trainer.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.service.worker.messaging.WorkerEvents;
import dev.robustlab.service.worker.runtime.WorkerIdentity;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the trainer's events, keyed by run id, and waits for the broker's acknowledgement of each: a
 * checkpoint is announced only once it is in the bucket, and the run request is acknowledged only once every
 * event of the run is in Kafka. Call from a worker thread.
 */
@ApplicationScoped
public class RunEventPublisher {

    @Inject
    @Channel(Channels.RUN_STATUS)
    MutinyEmitter<String> runStatus;

    @Inject
    @Channel(Channels.CHECKPOINT_CREATED)
    MutinyEmitter<String> checkpoints;

    @Inject
    WorkerIdentity identity;

    public void started(String runId, int epochs) {
        status(new RunStatusChanged(runId, RunStatusChanged.STARTED, null, epochs, null, null, null, null,
                identity.id(), Instant.now()), EventTypes.RUN_STARTED);
    }

    public void epochCompleted(String runId, int epoch, int epochs, EpochSummary summary) {
        status(new RunStatusChanged(runId, RunStatusChanged.EPOCH_COMPLETED, epoch, epochs, summary.trainLoss(),
                summary.trainAccuracy(), summary.seconds(), null, identity.id(), Instant.now()),
                EventTypes.RUN_EPOCH_COMPLETED);
    }

    public void completed(String runId, int epochs) {
        status(new RunStatusChanged(runId, RunStatusChanged.COMPLETED, epochs, epochs, null, null, null, null,
                identity.id(), Instant.now()), EventTypes.RUN_COMPLETED);
    }

    /** @param epochs epochs of the run, or null when the spec could not be read */
    public void failed(String runId, Integer epochs, String reason) {
        status(new RunStatusChanged(runId, RunStatusChanged.FAILED, null, epochs, null, null, null, reason,
                identity.id(), Instant.now()), EventTypes.RUN_FAILED);
    }

    public void checkpointCreated(CheckpointCreated event) {
        WorkerEvents.sendAndAwait(checkpoints, event.runId(), event.runId(), EventTypes.CHECKPOINT_CREATED,
                EventJson.encode(event));
    }

    private void status(RunStatusChanged event, String type) {
        WorkerEvents.sendAndAwait(runStatus, event.runId(), event.runId(), type, EventJson.encode(event));
    }
}
