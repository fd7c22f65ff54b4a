package dev.robustlab.eval.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.eval.planning.AttackPlanner;
import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.service.database.Transient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Plans the attack jobs of each evaluated checkpoint: records them (idempotently: a redelivered checkpoint plans
 * nothing new), then publishes whatever of them the broker has not acknowledged yet. If publishing fails, the
 * jobs stay recorded and {@link OutboxRelay} publishes them later.
 */
@ApplicationScoped
public class CheckpointConsumer {
    private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);

    @Inject
    EvalStore store;

    @Inject
    JobPublisher publisher;

    @Incoming(Channels.CHECKPOINT_CREATED)
    @Blocking
    public void onCheckpoint(String payload) {
        CheckpointCreated checkpoint = EventJson.decode(payload, CheckpointCreated.class);
        if (checkpoint.runId() == null || checkpoint.spec() == null || checkpoint.checkpoint() == null) {
            throw new MalformedEventException("a CheckpointCreated needs runId, spec and checkpoint: " + payload);
        }
        List<AttackRequested> jobs = AttackPlanner.plan(checkpoint);
        if (jobs.isEmpty()) {
            LOG.debugf("run %s epoch %d is not evaluated by its plan", checkpoint.runId(), checkpoint.epoch());
            return;
        }
        List<String> attacks = checkpoint.spec().withDefaults().evaluation().attacks();
        int planned = Transient.retry("planning " + checkpoint.runId() + "/" + checkpoint.epoch(),
                () -> store.recordPlan(checkpoint, attacks, jobs));
        LOG.infof("run %s epoch %d: %d attack jobs planned (%d new)", checkpoint.runId(), checkpoint.epoch(),
                jobs.size(), planned);
        try {
            publisher.publishPending(checkpoint.runId(), checkpoint.epoch());
        } catch (RuntimeException e) {
            LOG.warnf("publishing the jobs of %s/%d failed (%s); the relay will retry", checkpoint.runId(),
                    checkpoint.epoch(), e.getMessage());
        }
    }
}
