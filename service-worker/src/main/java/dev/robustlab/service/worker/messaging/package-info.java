/**
 * The events a worker publishes: how they are sent ({@link dev.robustlab.service.worker.messaging.WorkerEvents}:
 * keyed, a fresh CloudEvents id each, acknowledged before the worker moves on) and how a failure is worded in them
 * ({@link dev.robustlab.service.worker.messaging.FailureReason}).
 */
package dev.robustlab.service.worker.messaging;
