/**
 * Kafka wiring of trainer-service: {@link dev.robustlab.trainer.messaging.RunRequestConsumer} takes run requests,
 * {@link dev.robustlab.trainer.messaging.RunEventPublisher} announces progress and checkpoints. The channels'
 * connector settings (commit strategy, dead-letter queue, CloudEvents) are in {@code application.properties}.
 */
package dev.robustlab.trainer.messaging;
