package dev.robustlab.gateway.runs;

import dev.robustlab.contracts.event.RunStatusChanged;
import java.time.Instant;
import java.util.Optional;

/**
 * How a {@link RunStatusChanged} moves a run forward. Events may arrive twice or out of order, so a transition only
 * ever moves forward: {@code requested → started → training (epoch rising) → completed | failed}. A redelivered
 * event, an epoch not newer than the recorded one, or anything after a terminal status changes nothing.
 */
public final class RunProgress {

    private RunProgress() {
    }

    /** The run after {@code event}, or empty when the event changes nothing. */
    public static Optional<RunRecord> apply(RunRecord run, RunStatusChanged event) {
        if (RunStatus.TERMINAL.contains(run.status()) || event.phase() == null) {
            return Optional.empty();
        }
        Instant at = event.at() == null ? Instant.now() : event.at();
        String trainer = event.trainer() == null ? run.trainer() : event.trainer();
        int epochs = event.epochs() == null ? run.epochs() : event.epochs();
        boolean newerEpoch = event.epoch() != null && (run.epoch() == null || event.epoch() > run.epoch());
        Integer epoch = newerEpoch ? event.epoch() : run.epoch();
        Double loss = newerEpoch ? event.trainLoss() : run.trainLoss();
        Double accuracy = newerEpoch ? event.trainAccuracy() : run.trainAccuracy();
        Instant startedAt = run.startedAt() == null ? at : run.startedAt();
        return switch (event.phase()) {
            case RunStatusChanged.STARTED -> RunStatus.REQUESTED.equals(run.status())
                    ? Optional.of(new RunRecord(run.id(), run.name(), RunStatus.STARTED, run.epoch(), epochs,
                            run.trainLoss(), run.trainAccuracy(), null, trainer, run.spec(), run.createdAt(), at,
                            startedAt, null))
                    : Optional.empty();
            case RunStatusChanged.EPOCH_COMPLETED -> newerEpoch
                    ? Optional.of(new RunRecord(run.id(), run.name(), RunStatus.TRAINING, epoch, epochs, loss,
                            accuracy, null, trainer, run.spec(), run.createdAt(), at, startedAt, null))
                    : Optional.empty();
            case RunStatusChanged.COMPLETED -> Optional.of(new RunRecord(run.id(), run.name(), RunStatus.COMPLETED,
                    epoch, epochs, loss, accuracy, null, trainer, run.spec(), run.createdAt(), at, startedAt, at));
            case RunStatusChanged.FAILED -> Optional.of(new RunRecord(run.id(), run.name(), RunStatus.FAILED, epoch,
                    epochs, loss, accuracy, event.reason() == null ? "the trainer reported a failure"
                            : event.reason(), trainer, run.spec(), run.createdAt(), at, run.startedAt(), at));
            default -> Optional.empty();
        };
    }

    /** The run marked failed by the gateway itself, e.g. because its request could not be published. */
    public static RunRecord failed(RunRecord run, String reason, Instant at) {
        RunRecord failed = run.withStatus(RunStatus.FAILED, at);
        return new RunRecord(failed.id(), failed.name(), failed.status(), failed.epoch(), failed.epochs(),
                failed.trainLoss(), failed.trainAccuracy(), reason, failed.trainer(), failed.spec(),
                failed.createdAt(), at, failed.startedAt(), at);
    }
}
