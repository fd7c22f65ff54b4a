/**
 * Kafka wiring of attack-service: {@link dev.robustlab.attack.messaging.AttackJobConsumer} takes jobs, decides
 * what a failure means and acknowledges; {@link dev.robustlab.attack.messaging.ResultPublisher} publishes
 * {@code robustness-measured} and {@code attack-failed}. Connector settings are in {@code application.properties}.
 */
package dev.robustlab.attack.messaging;
