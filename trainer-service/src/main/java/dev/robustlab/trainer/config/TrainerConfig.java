package dev.robustlab.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code robustlab.*} settings of trainer-service (docs/CONVENTIONS.md names their environment variables). */
@ConfigMapping(prefix = "robustlab")
public interface TrainerConfig {

    /** Where checkpoints go. */
    S3 s3();

    /** Names this trainer in events ({@code ROBUSTLAB_INSTANCE_ID}); host name + pid when absent. */
    Optional<String> instanceId();

    /** Scratch directory of this trainer ({@code ROBUSTLAB_WORK_DIR}). */
    Path workDir();

    /** Run supervision. */
    Trainer trainer();

    /** The S3 endpoint and bucket. */
    interface S3 {
        String endpoint();

        String accessKey();

        String secretKey();

        @WithDefault("robustlab-checkpoints")
        String bucket();

        @WithDefault("us-east-1")
        String region();
    }

    /** Run supervision. */
    interface Trainer {
        /**
         * How long a run may go without finishing an epoch before liveness reports it stuck. Generous: an epoch of
         * a large model on CPU takes long, and a failing liveness probe restarts the process (and the run).
         */
        @WithDefault("PT2H")
        Duration stallTimeout();
    }
}
