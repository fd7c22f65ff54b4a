package dev.robustlab.eval.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.eval.live.MetricUpdate;
import dev.robustlab.eval.live.MetricUpdates;
import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.service.database.Transient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Records failed attack jobs; they are listed in the run's metrics and announced to live subscribers. */
@ApplicationScoped
public class FailureConsumer {
    private static final Logger LOG = Logger.getLogger(FailureConsumer.class);

    @Inject
    EvalStore store;

    @Inject
    MetricUpdates updates;

    @Incoming(Channels.ATTACK_FAILED)
    @Blocking
    public void onFailure(String payload) {
        AttackFailed f = EventJson.decode(payload, AttackFailed.class);
        if (f.jobId() == null || f.runId() == null || f.attack() == null) {
            throw new MalformedEventException("an AttackFailed needs jobId, runId and attack: " + payload);
        }
        if (Transient.retry("recording the failure of " + f.jobId(), () -> store.recordFailure(f))) {
            LOG.warnf("attack job %s failed on %s: %s", f.jobId(), f.worker(), f.reason());
            updates.emit(MetricUpdate.jobFailed(f.runId(), f.epoch(), f.attack(), f.shardIndex(), f.reason()));
        }
    }
}
