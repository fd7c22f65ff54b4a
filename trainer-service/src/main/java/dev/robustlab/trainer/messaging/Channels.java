package dev.robustlab.trainer.messaging;

import dev.robustlab.contracts.Topics;

/** Channel names of trainer-service; each channel is named after its topic. Tests reuse these constants. */
public final class Channels {
    /** Incoming: {@code RunRequested}. */
    public static final String RUN_REQUESTED = Topics.RUN_REQUESTED;
    /** Outgoing: {@code RunStatusChanged}, one CloudEvents type per phase. */
    public static final String RUN_STATUS = Topics.RUN_STATUS;
    /** Outgoing: {@code CheckpointCreated}. */
    public static final String CHECKPOINT_CREATED = Topics.CHECKPOINT_CREATED;

    private Channels() {
    }
}
