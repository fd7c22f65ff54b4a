/**
 * The contracts every Robustlab service shares: the run specification ({@link dev.robustlab.contracts.spec}),
 * the events that cross Kafka ({@link dev.robustlab.contracts.event}), the topic names ({@link Topics}) and the
 * JSON codec they are written with ({@link EventJson}). Each event's JSON schema is under
 * {@code src/main/resources/schemas/}, and a test keeps the schemas and the records in step.
 *
 * <p>Plain Java with Jackson only: no Quarkus, no DJL, so any service, test or tool can depend on it.
 */
package dev.robustlab.contracts;
