package dev.robustlab.service.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Produces the service's {@link DataSource} (a HikariCP pool) and migrates the service's {@link DatabaseSchema}
 * with Flyway before anything uses it. Startup waits up to {@code robustlab.db.startup-timeout} for the database,
 * so that the service and PostgreSQL may start in any order; after that it fails and the orchestrator restarts it.
 */
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);

    @Produces
    @Singleton
    DataSource dataSource(DatabaseConfig config, DatabaseSchema schema) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(schema.poolName());
        hikari.setDriverClassName("org.postgresql.Driver");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, config, schema);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    void close(@Disposes DataSource dataSource) {
        ((HikariDataSource) dataSource).close();
    }

    /** Creates the pool (and migrates) at startup rather than on the first event. */
    void onStart(@Observes StartupEvent event, DataSource dataSource) {
        LOG.debugf("database ready: %s", dataSource);
    }

    private static void migrate(DataSource dataSource, DatabaseConfig config, DatabaseSchema schema) {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(schema.name())
                .createSchemas(true)
                .resourceProvider(new ListedMigrations(schema))
                .load();
        Instant deadline = Instant.now().plus(config.startupTimeout());
        while (true) {
            try {
                int applied = flyway.migrate().migrationsExecuted;
                LOG.infof("schema %s is up to date (%d migrations applied now)", schema.name(), applied);
                return;
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot migrate schema " + schema.name() + " at " + config.url()
                            + " within " + config.startupTimeout() + ": " + e.getMessage(), e);
                }
                LOG.warnf("database at %s not ready (%s); retrying", config.url(), e.getMessage());
                sleep(2_000);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
