package dev.robustlab.service.database;

import java.util.List;
import java.util.Objects;

/**
 * The PostgreSQL schema a service owns and the Flyway migrations that build it. Each database-backed service
 * produces exactly one (a CDI producer field or method); {@link Database} creates and migrates that schema at
 * startup.
 *
 * <pre>{@code
 * class GatewaySchema {
 *     @Produces
 *     static final DatabaseSchema SCHEMA = DatabaseSchema.of("gateway", List.of("V1__runs.sql"),
 *             GatewaySchema.class);
 * }
 * }</pre>
 *
 * @param name              schema name, e.g. {@code gateway}; also names the connection pool ({@code <name>-db})
 * @param migrationLocation class-path folder of the migration files, {@code db/migration/<name>}
 * @param migrations        the migration files in that folder, oldest first (see {@link ListedMigrations})
 * @param classLoader       the class loader that sees the service's resources, where the migration files lie
 */
public record DatabaseSchema(String name, String migrationLocation, List<String> migrations,
                             ClassLoader classLoader) {

    /** Checks that every part is given; copies the list. */
    public DatabaseSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(migrationLocation, "migrationLocation");
        migrations = List.copyOf(migrations);
        Objects.requireNonNull(classLoader, "classLoader");
    }

    /**
     * Schema {@code name} with its migrations under {@code db/migration/<name>}, read through the class loader of
     * {@code serviceClass}, a class of the service that owns them.
     */
    public static DatabaseSchema of(String name, List<String> migrations, Class<?> serviceClass) {
        return new DatabaseSchema(name, "db/migration/" + name, migrations, serviceClass.getClassLoader());
    }

    /** The name of the HikariCP pool, {@code <name>-db}. */
    public String poolName() {
        return name + "-db";
    }
}
