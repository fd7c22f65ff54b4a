package dev.robustlab.attack.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code robustlab.attack.*}: job handling. */
@ConfigMapping(prefix = "robustlab.attack")
public interface AttackSettings {

    /**
     * How long one job may run before liveness reports the worker stuck ({@code ROBUSTLAB_ATTACK_STALL_TIMEOUT}).
     * ShardEvaluation gives no progress within a job, so this bounds a whole job: generous, AutoAttack shards take
     * minutes.
     */
    @WithDefault("PT1H")
    Duration stallTimeout();

    /** Bytes the checkpoint cache may hold; the least recently used checkpoints go first. */
    @WithDefault("4294967296")
    long cacheMaxBytes();

    /** Attempts at a job whose checkpoint cannot be fetched because S3 fails, before it is dead-lettered. */
    @WithDefault("6")
    int storageAttempts();

    /** Wait before the second attempt; doubled for each further one, up to a minute. */
    @WithDefault("PT2S")
    Duration storageBackoff();
}
