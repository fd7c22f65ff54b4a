package dev.robustlab.service.worker.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code robustlab.s3.*}: the S3 endpoint of the checkpoints ({@code ROBUSTLAB_S3_ENDPOINT}, {@code _ACCESS_KEY},
 * {@code _SECRET_KEY}, {@code _BUCKET}, {@code _REGION}). The trainer writes to {@link #bucket()}; attack jobs name
 * their bucket in their {@code CheckpointRef}. A mapping of its own, not one for all of {@code robustlab.*}: a
 * mapping refuses unknown keys under its prefix, and tools set other {@code robustlab.*} system properties.
 */
@ConfigMapping(prefix = "robustlab.s3")
public interface S3Config {
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("robustlab-checkpoints")
    String bucket();

    @WithDefault("us-east-1")
    String region();
}
