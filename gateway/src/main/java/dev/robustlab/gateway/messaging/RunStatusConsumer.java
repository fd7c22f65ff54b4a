package dev.robustlab.gateway.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.gateway.runs.RunProgress;
import dev.robustlab.gateway.runs.RunStore;
import dev.robustlab.service.database.Transient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the runs table in step with {@code run-status}. Updates are idempotent and only move a run forward
 * ({@link RunProgress}); events of runs this gateway does not know are skipped. A record that is not a
 * {@code RunStatusChanged} lands on {@code run-status-dlq}.
 */
@ApplicationScoped
public class RunStatusConsumer {
    private static final Logger LOG = Logger.getLogger(RunStatusConsumer.class);

    @Inject
    RunStore store;

    @Incoming(Channels.RUN_STATUS)
    @Blocking
    public void onStatus(String payload) {
        RunStatusChanged event = EventJson.decode(payload, RunStatusChanged.class);
        if (event.runId() == null || event.phase() == null) {
            throw new MalformedEventException("a RunStatusChanged needs runId and phase: " + payload);
        }
        boolean changed = Transient.retry("updating run " + event.runId(),
                () -> store.update(event.runId(), run -> RunProgress.apply(run, event)));
        if (changed) {
            LOG.debugf("run %s: %s (epoch %s)", event.runId(), event.phase(), event.epoch());
        } else if (store.find(event.runId()).isEmpty()) {
            LOG.warnf("status %s of unknown run %s skipped", event.phase(), event.runId());
        }
    }
}
