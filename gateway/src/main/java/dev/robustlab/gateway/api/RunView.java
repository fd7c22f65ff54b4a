package dev.robustlab.gateway.api;

import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.gateway.runs.RunRecord;
import java.time.Instant;

/**
 * A run as {@code GET /api/runs/{id}} shows it.
 *
 * @param id               run id
 * @param name             the spec's label
 * @param status           requested, started, training, completed or failed
 * @param epoch            last completed epoch (null before the first)
 * @param epochs           epochs the run trains
 * @param trainLoss        training loss of the last completed epoch
 * @param trainAccuracy    training accuracy of the last completed epoch, in [0, 1]
 * @param failureReason    why it failed
 * @param trainer          the trainer instance that holds it
 * @param spec             the complete spec, defaults filled in
 * @param createdAt        when the gateway accepted it
 * @param updatedAt        when it last changed
 * @param startedAt        when a trainer started it
 * @param finishedAt       when it completed or failed
 * @param url              this resource
 * @param metricsUrl       its per-epoch robustness metrics on eval-service
 * @param metricsStreamUrl the live stream (server-sent events) of those metrics
 */
public record RunView(String id, String name, String status, Integer epoch, int epochs, Double trainLoss,
                      Double trainAccuracy, String failureReason, String trainer, RunSpec spec, Instant createdAt,
                      Instant updatedAt, Instant startedAt, Instant finishedAt, String url, String metricsUrl,
                      String metricsStreamUrl) {

    static RunView of(RunRecord r, String evalUrl) {
        String metrics = evalUrl + "/api/runs/" + r.id() + "/metrics";
        return new RunView(r.id(), r.name(), r.status(), r.epoch(), r.epochs(), r.trainLoss(), r.trainAccuracy(),
                r.failureReason(), r.trainer(), r.spec(), r.createdAt(), r.updatedAt(), r.startedAt(),
                r.finishedAt(), RunsResource.path(r.id()), metrics, metrics + "/stream");
    }
}
