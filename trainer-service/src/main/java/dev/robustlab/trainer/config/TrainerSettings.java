package dev.robustlab.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code robustlab.trainer.*}: run supervision. */
@ConfigMapping(prefix = "robustlab.trainer")
public interface TrainerSettings {

    /**
     * How long a run may go without finishing an epoch before liveness reports it stuck
     * ({@code ROBUSTLAB_TRAINER_STALL_TIMEOUT}). Generous: an epoch of a large model on CPU takes long, and a
     * failing liveness probe restarts the process (and the run).
     */
    @WithDefault("PT2H")
    Duration stallTimeout();
}
