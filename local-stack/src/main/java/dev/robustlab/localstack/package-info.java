/**
 * Robustlab's infrastructure as local processes, for tests and the demo: {@link dev.robustlab.localstack.LocalStack}
 * starts a Kafka broker (KRaft, child JVM), S3Proxy (child JVM) and PostgreSQL (the machine's binaries) on free
 * loopback ports, provisions topics, bucket and database, and stops them by their own process handles. The jars
 * come from the {@code local-stack-dist} module. Quarkus test resources live in
 * {@link dev.robustlab.localstack.testing}.
 */
package dev.robustlab.localstack;
