/**
 * PostgreSQL support shared by the database-backed services (gateway, eval-service): a HikariCP
 * {@link javax.sql.DataSource} configured by {@code robustlab.db.*}, the service's own schema created and migrated
 * by Flyway at startup from a listed set of files ({@link dev.robustlab.service.database.DatabaseSchema}, which
 * each service produces), transactions ({@link dev.robustlab.service.database.Jdbc}), retries of work that failed
 * on the database ({@link dev.robustlab.service.database.Transient}) and a readiness check. Plain JDBC:
 * quarkus-agroal, -jdbc-postgresql and -flyway 3.38.1 are not on Maven Central.
 */
package dev.robustlab.service.database;
