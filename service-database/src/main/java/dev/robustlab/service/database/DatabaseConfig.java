package dev.robustlab.service.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connection settings, {@code robustlab.db.*} (env {@code ROBUSTLAB_DB_URL}, {@code _USER}, {@code _PASSWORD}). */
@ConfigMapping(prefix = "robustlab.db")
public interface DatabaseConfig {
    /** JDBC URL, {@code jdbc:postgresql://host:port/db}. */
    String url();

    String user();

    String password();

    /** Connections in the pool. */
    @WithDefault("8")
    int maxPoolSize();

    /** How long startup waits for the database to answer before it gives up. */
    @WithDefault("60s")
    Duration startupTimeout();
}
