package dev.robustlab.eval.messaging;

import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.eval.storage.PendingEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes stored attack jobs to {@code attack-requested} (key = job id) and marks the acknowledged ones. */
@ApplicationScoped
public class JobPublisher {
    @Inject
    @Channel(Channels.ATTACK_REQUESTED)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<String> emitter;

    @Inject
    EvalStore store;

    /** Publishes the jobs of (run, epoch) that the broker has not acknowledged yet. */
    public void publishPending(String runId, int epoch) {
        publish(store.unpublishedJobs(runId, epoch));
    }

    /** Publishes {@code jobs} and marks them published once acknowledged. */
    public void publish(List<PendingEvent> jobs) {
        Publishing.publish(emitter, jobs, store::markJobsPublished);
    }
}
