/**
 * The events that cross Kafka, as records. Names are past tense; each record's Javadoc says which topic carries
 * it and who publishes it, and {@code src/main/resources/schemas/<record>.schema.json} is its JSON schema.
 * The CloudEvents attributes travel in Kafka headers (binary mode), see {@link dev.robustlab.contracts.EventTypes}.
 */
package dev.robustlab.contracts.event;
