package dev.robustlab.trainer.training;

import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.contracts.spec.FieldError;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.RunSpecValidator;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.ml.training.TrainingRun;
import dev.robustlab.service.worker.messaging.FailureReason;
import dev.robustlab.service.worker.runtime.DataDirectory;
import dev.robustlab.service.worker.runtime.DjlRuntime;
import dev.robustlab.service.worker.runtime.WorkerIdentity;
import dev.robustlab.service.worker.storage.Sha256;
import dev.robustlab.trainer.messaging.RunEventPublisher;
import dev.robustlab.trainer.storage.CheckpointKeys;
import dev.robustlab.trainer.storage.CheckpointManifest;
import dev.robustlab.trainer.storage.CheckpointStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Trains one run to the end on the calling (worker) thread: {@code started}, then per epoch train, upload the
 * checkpoint and its manifest, announce {@code CheckpointCreated}, {@code epoch-completed}; finally
 * {@code completed}. Any failure of the run becomes one {@code failed} event with the reason; the trainer itself
 * carries on with the next request.
 *
 * <p><b>Redelivery.</b> Kafka delivers at least once: after a crash, or a rebalance during a long run, the same
 * request comes again. The rule:
 * <ul>
 *   <li>If the manifest of the run's <em>last</em> epoch is in the bucket, the run was trained to the end before.
 *       Nothing is trained; the last epoch's {@code CheckpointCreated} and {@code completed} are published again
 *       from that manifest, since the crash may have come between the upload and those events (consumers merge
 *       them idempotently: eval-service's job ids are deterministic).</li>
 *   <li>Otherwise the run is trained again from the start and every epoch's objects are overwritten: ml-core
 *       cannot resume a run from a checkpoint (optimizer and PIAT state are not in it). A re-trained epoch may
 *       differ in its bytes; its new {@code CheckpointCreated} carries the new SHA-256, and attack workers refuse
 *       jobs that still name the old one.</li>
 * </ul>
 */
@ApplicationScoped
public class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    /** How a request ended. */
    public enum Outcome {
        /** Trained to the end, every event published. */
        COMPLETED,
        /** Refused or failed; the {@code failed} event is published. */
        FAILED,
        /** Trained to the end before (redelivery); the last checkpoint and {@code completed} were re-announced. */
        ALREADY_DONE,
        /** Given up because the service is stopping; the request must not be acknowledged. */
        ABANDONED
    }

    private final CheckpointStore store;
    private final RunEventPublisher events;
    private final RunProgress progress;
    private final WorkerIdentity identity;
    private final DataDirectory data;
    private volatile boolean stopping;

    @Inject
    public RunExecutor(CheckpointStore store, RunEventPublisher events, RunProgress progress,
                       WorkerIdentity identity, DataDirectory data) {
        this.store = store;
        this.events = events;
        this.progress = progress;
        this.identity = identity;
        this.data = data;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Runs {@code request} to its end. Throws only when even the {@code failed} event cannot be published. */
    public Outcome execute(RunRequested request) {
        String runId = request.runId();
        RunSpec spec;
        try {
            CheckpointKeys.requireValidRunId(runId);
            spec = checkedSpec(request.spec());
        } catch (IllegalArgumentException e) {
            LOG.warnf("refusing run %s: %s", runId, e.getMessage());
            events.failed(runId, request.spec() == null ? null : request.spec().epochs(), FailureReason.describe(e));
            return Outcome.FAILED;
        }
        int epochs = spec.epochs();
        progress.begin(runId, epochs);
        try {
            Optional<CheckpointManifest> last = store.readManifest(runId, epochs);
            if (last.isPresent()) {
                LOG.infof("run %s was trained to the end before (manifest of epoch %d exists): re-announcing its "
                        + "last checkpoint and completion, not training again", runId, epochs);
                events.checkpointCreated(checkpointCreated(last.get(), spec));
                events.completed(runId, epochs);
                return Outcome.ALREADY_DONE;
            }
            return train(runId, spec);
        } catch (RuntimeException | Error e) {
            // Errors too: a native library that fails to link or a model too large for the heap fail this run,
            // not the trainer; the next request may well fit.
            if (stopping) {
                LOG.infof("run %s interrupted by shutdown (%s); it will be delivered again", runId, e);
                return Outcome.ABANDONED;
            }
            LOG.errorf(e, "run %s failed", runId);
            events.failed(runId, epochs, FailureReason.describe(e));
            return Outcome.FAILED;
        } finally {
            progress.end();
        }
    }

    private Outcome train(String runId, RunSpec spec) {
        int epochs = spec.epochs();
        LOG.infof("run %s: training %d epochs of %s on %s", runId, epochs, spec.model().describe(),
                spec.dataset().name());
        events.started(runId, epochs);
        DjlRuntime.ensureOffline();
        try (TrainingRun run = TrainingRun.start(spec, data.root())) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopping) {
                    LOG.infof("run %s: stopping after %d of %d epochs; it will be delivered again", runId,
                            epoch - 1, epochs);
                    return Outcome.ABANDONED;
                }
                EpochSummary summary = run.trainEpoch();
                byte[] parameters = run.checkpoint();
                CheckpointManifest manifest = store.write(parameters, manifest(runId, epoch, spec, parameters,
                        summary));
                events.checkpointCreated(checkpointCreated(manifest, spec));
                progress.epochDone(epoch);
                events.epochCompleted(runId, epoch, epochs, summary);
                LOG.infof("run %s: epoch %d/%d loss %.4f accuracy %.4f in %.1f s, checkpoint %s (%d bytes)", runId,
                        epoch, epochs, summary.trainLoss(), summary.trainAccuracy(), summary.seconds(),
                        manifest.sha256(), manifest.sizeBytes());
            }
        }
        events.completed(runId, epochs);
        LOG.infof("run %s completed", runId);
        return Outcome.COMPLETED;
    }

    private CheckpointManifest manifest(String runId, int epoch, RunSpec spec, byte[] parameters,
                                        EpochSummary summary) {
        return new CheckpointManifest(runId, epoch, spec.epochs(), spec, spec.model().describe(),
                Sha256.hex(parameters), parameters.length, null, CheckpointKeys.parameters(runId, epoch),
                identity.id(), summary.trainLoss(), summary.trainAccuracy(), summary.seconds(), summary.piatAlpha());
    }

    private CheckpointCreated checkpointCreated(CheckpointManifest manifest, RunSpec spec) {
        return new CheckpointCreated(manifest.runId(), manifest.epoch(), manifest.epochs(), manifest.architecture(),
                manifest.ref(store.bucket()), spec, manifest.createdAt());
    }

    /** The spec with defaults, or {@link IllegalArgumentException} naming every bad field. */
    static RunSpec checkedSpec(RunSpec requested) {
        if (requested == null) {
            throw new IllegalArgumentException("the request has no spec");
        }
        RunSpec spec = requested.withDefaults();
        List<FieldError> errors = RunSpecValidator.validate(spec);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid spec: " + errors.stream()
                    .map(e -> e.field() + " " + e.reason()).collect(Collectors.joining("; ")));
        }
        return spec;
    }
}
