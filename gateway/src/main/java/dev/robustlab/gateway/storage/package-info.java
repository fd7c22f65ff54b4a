/**
 * PostgreSQL storage of the gateway in schema {@code gateway}: table {@code runs}. Plain JDBC on the pool of the
 * shared {@code service-database} module, which creates and migrates the schema at startup from
 * {@code db/migration/gateway} ({@code GatewaySchema} lists the files).
 */
package dev.robustlab.gateway.storage;
