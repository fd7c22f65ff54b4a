/**
 * The gateway: takes run requests over HTTP, checks them ({@link dev.robustlab.gateway.intake}), records them and
 * hands them to the trainers on Kafka ({@link dev.robustlab.gateway.runs}, {@link dev.robustlab.gateway.messaging}),
 * and keeps a view of every run's progress from {@code run-status} ({@link dev.robustlab.gateway.storage}) for
 * {@code GET /api/runs} ({@link dev.robustlab.gateway.api}).
 */
package dev.robustlab.gateway;
