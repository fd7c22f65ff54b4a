package dev.robustlab.eval.storage;

/**
 * An event stored for publication and not yet acknowledged by the broker.
 *
 * @param id      the CloudEvents id and the row's identity (job id, or run/epoch/attack for a metric)
 * @param key     the Kafka record key
 * @param payload the event's JSON
 */
public record PendingEvent(String id, String key, String payload) {
}
