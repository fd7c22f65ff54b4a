package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.RunSpec;

/**
 * One training run of a {@link RunSpec}, epoch by epoch: the entry point trainer-service uses.
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.start(spec.withDefaults())) {
 *     for (int e = 1; e <= spec.epochs(); e++) {
 *         EpochSummary summary = run.trainEpoch();
 *         byte[] checkpoint = run.checkpoint();   // parameters after the epoch (after interpolation with PIAT)
 *     }
 * }
 * }</pre>
 * Not thread-safe; at most one run per JVM trains at a time (DJL allows one open gradient collector).
 */
public final class TrainingRun implements AutoCloseable {

    private TrainingRun() {
    }

    /** Builds the dataset, model and optimizer of {@code spec} (which must be validated, with defaults). */
    public static TrainingRun start(RunSpec spec) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Trains the next epoch (and interpolates with PIAT), returns its summary. */
    public EpochSummary trainEpoch() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The current parameters, serialised so that {@link dev.robustlab.ml.evaluation.ShardEvaluation} reloads them. */
    public byte[] checkpoint() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
