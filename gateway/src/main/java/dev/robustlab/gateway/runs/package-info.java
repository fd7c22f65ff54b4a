/**
 * Runs as the gateway sees them: their record, how {@code run-status} events move them forward
 * ({@link dev.robustlab.gateway.runs.RunProgress}, pure), and how a request becomes a recorded, published run
 * ({@link dev.robustlab.gateway.runs.RunSubmission}).
 */
package dev.robustlab.gateway.runs;
