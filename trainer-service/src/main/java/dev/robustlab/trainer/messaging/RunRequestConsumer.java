package dev.robustlab.trainer.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.trainer.training.RunExecutor;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code run-requested} (group {@code trainer-service}) and trains each run on a worker thread, one run
 * at a time ({@code @Blocking} is ordered). While a run trains, the connector keeps polling and pauses the
 * partitions, so the group membership survives runs of any length; the record is acknowledged when the run ended
 * either way, and a record that is not a {@link RunRequested} is nacked to {@code run-requested-dlq}.
 */
@ApplicationScoped
public class RunRequestConsumer {
    private static final Logger LOG = Logger.getLogger(RunRequestConsumer.class);

    @Inject
    RunExecutor executor;

    @Incoming(Channels.RUN_REQUESTED)
    @Blocking
    public CompletionStage<Void> onRunRequested(Message<String> message) {
        RunRequested request;
        try {
            request = EventJson.decode(message.getPayload(), RunRequested.class);
            if (request.runId() == null || request.runId().isBlank()) {
                throw new MalformedEventException("RunRequested without runId");
            }
        } catch (MalformedEventException e) {
            LOG.warnf("run-requested record is not a RunRequested, sending it to the dead-letter topic: %s",
                    e.getMessage());
            return message.nack(e);
        }
        RunExecutor.Outcome outcome;
        try {
            outcome = executor.execute(request);
        } catch (RuntimeException e) {
            // Only when even the failed event could not be published: park the request on the dead-letter topic.
            LOG.errorf(e, "run %s: cannot report its outcome", request.runId());
            return message.nack(e);
        }
        if (outcome == RunExecutor.Outcome.ABANDONED) {
            // Neither ack nor nack: the offset stays uncommitted and the request comes again after the restart.
            return CompletableFuture.completedFuture(null);
        }
        return message.ack();
    }
}
