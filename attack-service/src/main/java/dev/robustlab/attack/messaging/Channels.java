package dev.robustlab.attack.messaging;

import dev.robustlab.contracts.Topics;

/** Channel names of attack-service; each channel is named after its topic. Tests reuse these constants. */
public final class Channels {
    /** Incoming: {@code AttackRequested}. */
    public static final String ATTACK_REQUESTED = Topics.ATTACK_REQUESTED;
    /** Outgoing: {@code RobustnessMeasured}. */
    public static final String ROBUSTNESS_MEASURED = Topics.ROBUSTNESS_MEASURED;
    /** Outgoing: {@code AttackFailed}. */
    public static final String ATTACK_FAILED = Topics.ATTACK_FAILED;

    private Channels() {
    }
}
