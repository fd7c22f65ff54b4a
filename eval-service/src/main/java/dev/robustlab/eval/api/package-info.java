/**
 * HTTP API of eval-service: {@code GET /api/runs/{id}/metrics} (per-epoch accuracies, best / final / diff,
 * failures; accuracies are fractions in [0, 1]) and {@code GET /api/runs/{id}/metrics/stream} (server-sent events).
 */
package dev.robustlab.eval.api;
