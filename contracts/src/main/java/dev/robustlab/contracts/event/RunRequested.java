package dev.robustlab.contracts.event;

import dev.robustlab.contracts.spec.RunSpec;
import java.time.Instant;

/**
 * A validated run, with every default filled in. Topic {@code run-requested}, key = run id, published by the
 * gateway, consumed by trainer-service (consumer group {@code trainer-service}) and the gateway's own run view.
 *
 * @param runId       run id (a UUID)
 * @param requestedAt when the gateway accepted it
 * @param spec        the complete spec
 */
public record RunRequested(String runId, Instant requestedAt, RunSpec spec) {
}
