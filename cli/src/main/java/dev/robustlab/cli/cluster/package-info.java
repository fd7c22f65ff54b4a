/**
 * Starts Robustlab's services as separate local processes from their packaged Quarkus applications, points them
 * at a {@link dev.robustlab.localstack.LocalStack}, waits until they are ready and stops them by their own PIDs.
 * Used by {@code robustlab demo} and by the end-to-end test.
 */
package dev.robustlab.cli.cluster;
