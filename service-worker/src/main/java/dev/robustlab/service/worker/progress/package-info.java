/**
 * Stall detection for a worker's long work: {@link dev.robustlab.service.worker.progress.WorkProgress} records the
 * work in progress and its last progress, which the service's liveness check compares with its stall timeout.
 */
package dev.robustlab.service.worker.progress;
