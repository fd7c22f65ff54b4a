/**
 * PostgreSQL storage of eval-service in schema {@code eval}: planned checkpoints and jobs, shard results (with their
 * robust flags), completed attacks and job failures. Plain JDBC on the pool of the shared {@code service-database}
 * module, which creates and migrates the schema at startup from {@code db/migration/eval} ({@code EvalSchema} lists
 * the files). Every write is idempotent, so redelivered events change nothing.
 */
package dev.robustlab.eval.storage;
