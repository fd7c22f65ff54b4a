/**
 * PostgreSQL storage of eval-service in schema {@code eval}: planned checkpoints and jobs, shard results (with their
 * robust flags), completed attacks and job failures. Plain JDBC on a HikariCP pool; Flyway creates and migrates the
 * schema at startup from {@code db/migration/eval}. Every write is idempotent, so redelivered events change nothing.
 */
package dev.robustlab.eval.storage;
