/**
 * Kafka wiring of eval-service: consumers of {@code checkpoint-created}, {@code robustness-measured} and
 * {@code attack-failed} (consumer group {@code eval-service}, dead-letter topic per channel), publishers of
 * {@code attack-requested} and {@code epoch-metrics}, and the relay that republishes what the broker did not
 * acknowledge. Channel names are the constants of {@link dev.robustlab.eval.messaging.Channels}.
 */
package dev.robustlab.eval.messaging;
