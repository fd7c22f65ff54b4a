package dev.robustlab.gateway.runs;

import java.util.Set;

/** The status of a run as the gateway reports it. */
public final class RunStatus {
    /** Accepted and handed to the trainers; no trainer has started it yet. */
    public static final String REQUESTED = "requested";
    /** A trainer took it. */
    public static final String STARTED = "started";
    /** At least one epoch is done. */
    public static final String TRAINING = "training";
    /** Every epoch is done. */
    public static final String COMPLETED = "completed";
    /** It stopped for good; the record says why. */
    public static final String FAILED = "failed";
    /** Statuses a run never leaves. */
    public static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED);

    private RunStatus() {
    }
}
