package dev.robustlab.attack.messaging;

import dev.robustlab.attack.runtime.WorkerIdentity;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.RobustnessMeasured;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

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
        send(measured, result.runId(), result.jobId(), EventTypes.ROBUSTNESS_MEASURED, EventJson.encode(result));
    }

    public void failed(AttackRequested job, String reason) {
        AttackFailed event = new AttackFailed(job.jobId(), job.runId(), job.epoch(), job.attack(), job.shardIndex(),
                reason, identity.id());
        send(failed, job.runId(), job.jobId(), EventTypes.ATTACK_FAILED, EventJson.encode(event));
    }

    private static void send(MutinyEmitter<String> emitter, String key, String jobId, String type, String json) {
        Message<String> message = Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(type)
                        .withSubject(jobId)
                        .build());
        emitter.sendMessageAndAwait(message);
    }
}
