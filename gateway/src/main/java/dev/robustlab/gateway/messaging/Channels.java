package dev.robustlab.gateway.messaging;

import dev.robustlab.contracts.Topics;

/** Channel names of the gateway (each bound to the topic of the same name). Tests reuse them. */
public final class Channels {
    /** Outgoing {@code RunRequested}, keyed by run id. */
    public static final String RUN_REQUESTED = Topics.RUN_REQUESTED;
    /** Incoming {@code RunStatusChanged}. */
    public static final String RUN_STATUS = Topics.RUN_STATUS;
    /** Consumer group id. */
    public static final String GROUP = "gateway";

    private Channels() {
    }
}
