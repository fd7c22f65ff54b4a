package dev.robustlab.service.worker.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a worker's events: each is a new fact (a status change, a checkpoint, a measurement), so it gets a fresh
 * CloudEvents id; the channel's configuration supplies the source. Sending waits for the broker's acknowledgement,
 * so that the incoming record is acknowledged only once its outcome is in Kafka: call from a worker thread.
 */
public final class WorkerEvents {

    private WorkerEvents() {
    }

    /**
     * Sends {@code json} as record key {@code key}, CloudEvents type {@code type} and subject {@code subject}, and
     * waits until the broker has it.
     */
    public static void sendAndAwait(MutinyEmitter<String> emitter, String key, String subject, String type,
                                    String json) {
        Message<String> message = Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(type)
                        .withSubject(subject)
                        .build());
        emitter.sendMessageAndAwait(message);
    }
}
