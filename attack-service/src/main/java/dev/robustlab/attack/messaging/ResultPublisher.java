package dev.robustlab.attack.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.service.worker.messaging.WorkerEvents;
import dev.robustlab.service.worker.runtime.WorkerIdentity;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes job outcomes keyed by run id and waits for the broker's acknowledgement, so that a job is
 * acknowledged only once its outcome is in Kafka. Call from a worker thread.
 */
@ApplicationScoped
public class ResultPublisher {

    @Inject
    @Channel(Channels.ROBUSTNESS_MEASURED)
    MutinyEmitter<String> measured;

    @Inject
    @Channel(Channels.ATTACK_FAILED)
    MutinyEmitter<String> failed;

    @Inject
    WorkerIdentity identity;

    public void measured(RobustnessMeasured result) {
        WorkerEvents.sendAndAwait(measured, result.runId(), result.jobId(), EventTypes.ROBUSTNESS_MEASURED,
                EventJson.encode(result));
    }

    public void failed(AttackRequested job, String reason) {
        AttackFailed event = new AttackFailed(job.jobId(), job.runId(), job.epoch(), job.attack(), job.shardIndex(),
                reason, identity.id());
        WorkerEvents.sendAndAwait(failed, job.runId(), job.jobId(), EventTypes.ATTACK_FAILED, EventJson.encode(event));
    }
}
