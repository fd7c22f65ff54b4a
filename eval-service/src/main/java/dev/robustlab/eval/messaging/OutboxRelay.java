package dev.robustlab.eval.messaging;

import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.eval.storage.PendingEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Republishes jobs and metrics that were stored but never acknowledged by the broker (the broker was down, or the
 * service stopped between the database commit and the acknowledgement). Every {@code robustlab.eval.relay-interval}
 * it publishes what has waited longer than {@code robustlab.eval.republish-after}. Together with the idempotent
 * writes this makes publication at-least-once; the CloudEvents id of a republished event is unchanged.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int LIMIT = 1000;

    @Inject
    EvalStore store;

    @Inject
    JobPublisher jobs;

    @Inject
    MetricPublisher metrics;

    @ConfigProperty(name = "robustlab.eval.relay-interval", defaultValue = "15s")
    Duration interval;

    @ConfigProperty(name = "robustlab.eval.republish-after", defaultValue = "30s")
    Duration republishAfter;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eval-outbox-relay");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::relay, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One pass: republish stale jobs, then stale metrics. */
    void relay() {
        try {
            List<PendingEvent> staleJobs = store.staleUnpublishedJobs(republishAfter, LIMIT);
            if (!staleJobs.isEmpty()) {
                LOG.infof("republishing %d unacknowledged attack jobs", staleJobs.size());
                jobs.publish(staleJobs);
            }
            List<PendingEvent> staleMetrics = store.staleUnpublishedMetrics(republishAfter, LIMIT);
            if (!staleMetrics.isEmpty()) {
                LOG.infof("republishing %d unacknowledged epoch metrics", staleMetrics.size());
                metrics.publish(staleMetrics);
            }
        } catch (RuntimeException e) {
            LOG.warnf("relay pass failed (%s); next pass in %s", e.getMessage(), interval);
        }
    }
}
