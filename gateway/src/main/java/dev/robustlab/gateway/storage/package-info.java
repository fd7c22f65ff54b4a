/**
 * PostgreSQL storage of the gateway in schema {@code gateway}: table {@code runs}. Plain JDBC on a HikariCP pool;
 * Flyway creates and migrates the schema at startup from {@code db/migration/gateway}.
 */
package dev.robustlab.gateway.storage;
