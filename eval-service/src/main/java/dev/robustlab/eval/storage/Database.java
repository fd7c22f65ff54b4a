package dev.robustlab.eval.storage;

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
 * Produces the service's {@link DataSource} (a HikariCP pool) and migrates schema {@code eval} with Flyway before
 * anything uses it. Startup waits up to {@code robustlab.db.startup-timeout} for the database, so that the service
 * and PostgreSQL may start in any order; after that it fails and the orchestrator restarts it.
 */
@ApplicationScoped
public class Database {
    /** The schema this service owns. */
    public static final String SCHEMA = "eval";
    private static final Logger LOG = Logger.getLogger(Database.class);

    @Produces
    @Singleton
    DataSource dataSource(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("eval-db");
        hikari.setDriverClassName("org.postgresql.Driver");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, config);
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

    private static void migrate(DataSource dataSource, DatabaseConfig config) {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .createSchemas(true)
                .resourceProvider(new ListedMigrations(ListedMigrations.EVAL_LOCATION, ListedMigrations.EVAL))
                .load();
        Instant deadline = Instant.now().plus(config.startupTimeout());
        while (true) {
            try {
                int applied = flyway.migrate().migrationsExecuted;
                LOG.infof("schema %s is up to date (%d migrations applied now)", SCHEMA, applied);
                return;
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot migrate schema " + SCHEMA + " at " + config.url()
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
