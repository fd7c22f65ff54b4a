package dev.robustlab.attack.messaging;

import dev.robustlab.attack.config.AttackSettings;
import dev.robustlab.attack.evaluation.AttackJobRunner;
import dev.robustlab.attack.evaluation.JobProgress;
import dev.robustlab.attack.evaluation.JobRejectedException;
import dev.robustlab.attack.health.StorageHealth;
import dev.robustlab.attack.storage.CheckpointRejectedException;
import dev.robustlab.attack.storage.StorageUnavailableException;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.service.worker.messaging.FailureReason;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code attack-requested} (group {@code attack-service}), one job at a time on a worker thread
 * ({@code @Blocking} is ordered). What happens to a record:
 * <ul>
 *   <li>not an {@link AttackRequested}: nacked, the channel's dead-letter strategy moves it to
 *       {@code attack-requested-dlq};</li>
 *   <li>the job cannot be done (checkpoint hash or size mismatch, missing checkpoint, a job ShardEvaluation
 *       refuses, an evaluation that fails): {@code AttackFailed} with the reason, acked; the worker goes on;</li>
 *   <li>S3 fails (unreachable, 5xx, refused credentials): the fetch is retried on this worker with exponential
 *       backoff ({@code robustlab.attack.storage-attempts}, {@code storage-backoff}) while readiness reports the
 *       outage; when the attempts are spent the record is nacked to {@code attack-requested-dlq}, with the reason
 *       in its {@code dead-letter-reason} header, from where an operator can replay it. It is never dropped, and it
 *       is not reported as {@code AttackFailed}: the job itself is sound;</li>
 *   <li>done: {@code RobustnessMeasured}, acked once the broker has it.</li>
 * </ul>
 * A job interrupted by shutdown is neither acked nor nacked: its offset stays uncommitted and it comes again.
 */
@ApplicationScoped
public class AttackJobConsumer {
    private static final Logger LOG = Logger.getLogger(AttackJobConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    @Inject
    AttackJobRunner runner;

    @Inject
    ResultPublisher publisher;

    @Inject
    JobProgress progress;

    @Inject
    StorageHealth storageHealth;

    @Inject
    AttackSettings settings;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming(Channels.ATTACK_REQUESTED)
    @Blocking
    public CompletionStage<Void> onAttackRequested(Message<String> message) {
        AttackRequested job;
        try {
            job = EventJson.decode(message.getPayload(), AttackRequested.class);
            if (job.jobId() == null || job.runId() == null) {
                throw new MalformedEventException("AttackRequested without jobId or runId");
            }
        } catch (MalformedEventException e) {
            LOG.warnf("attack-requested record is not an AttackRequested, sending it to the dead-letter topic: %s",
                    e.getMessage());
            return message.nack(e);
        }
        progress.begin(job.jobId());
        try {
            return process(job, message);
        } finally {
            progress.end();
            storageHealth.clear();
        }
    }

    private CompletionStage<Void> process(AttackRequested job, Message<String> message) {
        int attempts = Math.max(1, settings.storageAttempts());
        Duration backoff = settings.storageBackoff();
        for (int attempt = 1; ; attempt++) {
            RobustnessMeasured result;
            String failure;
            try {
                result = runner.run(job);
                failure = null;
            } catch (StorageUnavailableException e) {
                if (attempt >= attempts || stopping) {
                    if (stopping) {
                        LOG.infof("job %s: stopping while S3 is unavailable; it will be delivered again",
                                job.jobId());
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.errorf("job %s: S3 still unavailable after %d attempts, sending it to the dead-letter "
                            + "topic: %s", job.jobId(), attempt, e.getMessage());
                    return message.nack(e);
                }
                storageHealth.unavailable("S3 unavailable (attempt " + attempt + " of " + attempts + " for job "
                        + job.jobId() + "): " + e.getMessage());
                LOG.warnf("job %s: S3 unavailable (attempt %d of %d), retrying in %s: %s", job.jobId(), attempt,
                        attempts, backoff, e.getMessage());
                if (!sleep(backoff)) {
                    return CompletableFuture.completedFuture(null);
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                progress.progressed();
                continue;
            } catch (CheckpointRejectedException | JobRejectedException e) {
                result = null;
                failure = e.getMessage();
            } catch (RuntimeException | Error e) {
                // Errors too (a native library that fails to link, a shard too large for the heap): they fail
                // this job, and the worker stays up for the next one.
                if (stopping) {
                    LOG.infof("job %s interrupted by shutdown (%s); it will be delivered again", job.jobId(), e);
                    return CompletableFuture.completedFuture(null);
                }
                LOG.errorf(e, "job %s: evaluation failed", job.jobId());
                result = null;
                failure = "evaluation failed: " + FailureReason.describe(e);
            }
            storageHealth.clear();
            try {
                if (result != null) {
                    publisher.measured(result);
                    LOG.infof("job %s: %d examples, %d correct, %d robust in %.1f s", job.jobId(),
                            result.examples(), result.correctClean(), result.robust(), result.seconds());
                } else {
                    LOG.warnf("job %s refused: %s", job.jobId(), failure);
                    publisher.failed(job, failure);
                }
            } catch (RuntimeException e) {
                if (stopping) {
                    LOG.infof("job %s: outcome not published before shutdown; it will be delivered again",
                            job.jobId());
                    return CompletableFuture.completedFuture(null);
                }
                LOG.errorf(e, "job %s: cannot publish its outcome", job.jobId());
                return message.nack(e);
            }
            return message.ack();
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
