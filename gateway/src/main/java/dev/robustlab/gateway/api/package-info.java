/**
 * HTTP API of the gateway: {@code POST /api/runs}, {@code GET /api/runs}, {@code GET /api/runs/{id}}. Errors are
 * JSON {@code {"error": "...", "fields": [{"field": "...", "reason": "..."}]}}.
 */
package dev.robustlab.gateway.api;
