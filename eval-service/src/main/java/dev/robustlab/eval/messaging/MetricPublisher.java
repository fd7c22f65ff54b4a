package dev.robustlab.eval.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.eval.storage.PendingEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes {@code EpochMetricRecorded} to {@code epoch-metrics} (key = run id) and marks it published. */
@ApplicationScoped
public class MetricPublisher {
    @Inject
    @Channel(Channels.EPOCH_METRICS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<String> emitter;

    @Inject
    EvalStore store;

    /** Publishes stored metrics (CloudEvents id {@code <run>/<epoch>/<attack>}) and marks the acknowledged ones. */
    public void publish(List<PendingEvent> metrics) {
        Publishing.publish(emitter, metrics, ids -> {
            for (PendingEvent metric : metrics) {
                if (ids.contains(metric.id())) {
                    EpochMetricRecorded m = EventJson.decode(metric.payload(), EpochMetricRecorded.class);
                    store.markMetricPublished(m.runId(), m.epoch(), m.attack());
                }
            }
        });
    }
}
