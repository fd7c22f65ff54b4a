/**
 * Quarkus test resources over {@link dev.robustlab.localstack.LocalStack}: one stack per test JVM and component
 * set, shared by every {@code @QuarkusTest} class that names it. Needs {@code quarkus-test-common} on the test
 * classpath (an optional dependency of this module).
 */
package dev.robustlab.localstack.testing;
