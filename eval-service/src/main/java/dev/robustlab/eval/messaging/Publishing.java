package dev.robustlab.eval.messaging;

import dev.robustlab.eval.storage.PendingEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends stored events and waits for the broker's acknowledgement. The record key and the CloudEvents id come from
 * the stored event, so a republished event has the same id as the first attempt and consumers can deduplicate it;
 * the CloudEvents type and source come from the channel's configuration.
 */
final class Publishing {
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 256;

    private Publishing() {
    }

    /**
     * Publishes {@code events} in batches and returns the ids the broker acknowledged, in order, stopping at the
     * first batch that fails (whose error is thrown after the acknowledged ids were handed to {@code onAcked}).
     */
    static void publish(MutinyEmitter<String> emitter, List<PendingEvent> events, AckedIds onAcked) {
        for (int from = 0; from < events.size(); from += BATCH) {
            List<PendingEvent> batch = events.subList(from, Math.min(events.size(), from + BATCH));
            List<Uni<Void>> acks = new ArrayList<>(batch.size());
            for (PendingEvent event : batch) {
                acks.add(emitter.sendMessage(message(event)));
            }
            Uni.join().all(acks).andCollectFailures().await().atMost(ACK_TIMEOUT);
            onAcked.acked(batch.stream().map(PendingEvent::id).toList());
        }
    }

    static Message<String> message(PendingEvent event) {
        return Message.of(event.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())
                .addMetadata(OutgoingCloudEventMetadata.builder().withId(event.id()).build());
    }

    /** Receives the ids of a batch the broker acknowledged. */
    @FunctionalInterface
    interface AckedIds {
        void acked(List<String> ids);
    }
}
