/**
 * Test support over {@link dev.robustlab.localstack.LocalStack}.
 * {@link dev.robustlab.localstack.testing.LocalStackTestResource} is a Quarkus test resource: one stack per test
 * JVM and component set, shared by every {@code @QuarkusTest} class that names it; it needs
 * {@code quarkus-test-common} on the test classpath (an optional dependency of this module). The services' tests
 * talk to the stack's broker with {@link dev.robustlab.localstack.testing.TestKafka} and
 * {@link dev.robustlab.localstack.testing.TopicWatcher}, and wait with
 * {@link dev.robustlab.localstack.testing.Eventually}.
 */
package dev.robustlab.localstack.testing;
