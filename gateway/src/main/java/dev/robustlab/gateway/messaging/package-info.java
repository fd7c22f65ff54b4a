/**
 * Kafka wiring of the gateway: {@code run-requested} out (key = run id, CloudEvents type
 * {@code dev.robustlab.run.requested.v1}), {@code run-status} in (consumer group {@code gateway}, dead-letter topic
 * {@code run-status-dlq}). Channel names are the constants of {@link dev.robustlab.gateway.messaging.Channels}.
 */
package dev.robustlab.gateway.messaging;
