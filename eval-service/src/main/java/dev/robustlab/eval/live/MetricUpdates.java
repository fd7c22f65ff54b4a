package dev.robustlab.eval.live;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fans metric updates out to every live subscriber. Subscribers see the updates emitted after they subscribed
 * (the REST snapshot gives the state before). Updates are buffered per subscriber; one that falls more than
 * {@link #BUFFER} updates behind is cut off (its stream fails and the client reconnects) rather than slowing the
 * Kafka consumers down or silently missing updates.
 */
@ApplicationScoped
public class MetricUpdates {
    static final int BUFFER = 1024;

    private final BroadcastProcessor<MetricUpdate> processor = BroadcastProcessor.create();

    /** Sends {@code update} to every subscriber of its run. Safe from any thread. */
    public synchronized void emit(MetricUpdate update) {
        processor.onNext(update);
    }

    /** The updates of {@code runId} from now on; the stream never completes by itself. */
    public Multi<MetricUpdate> of(String runId) {
        return processor.filter(u -> runId.equals(u.runId()))
                .onOverflow().buffer(BUFFER);
    }

    @PreDestroy
    synchronized void close() {
        processor.onComplete();
    }
}
