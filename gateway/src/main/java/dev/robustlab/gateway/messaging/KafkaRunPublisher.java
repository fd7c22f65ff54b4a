package dev.robustlab.gateway.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.gateway.runs.RunPublisher;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@code RunRequested} to {@code run-requested} with the run id as record key and CloudEvents id, and
 * waits up to {@code robustlab.gateway.publish-timeout} for the broker's acknowledgement. The CloudEvents type and
 * source come from the channel's configuration.
 */
@ApplicationScoped
public class KafkaRunPublisher implements RunPublisher {
    @Inject
    @Channel(Channels.RUN_REQUESTED)
    MutinyEmitter<String> emitter;

    @ConfigProperty(name = "robustlab.gateway.publish-timeout", defaultValue = "15s")
    Duration timeout;

    @Override
    public void publish(RunRequested event) {
        Message<String> message = Message.of(EventJson.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build())
                .addMetadata(OutgoingCloudEventMetadata.builder().withId(event.runId()).build());
        try {
            emitter.sendMessage(message).await().atMost(timeout);
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge it on topic " + Channels.RUN_REQUESTED
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PublishFailedException("Kafka refused it on topic " + Channels.RUN_REQUESTED + ": " + why, e);
        }
    }
}
