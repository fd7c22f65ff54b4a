package dev.robustlab.eval.api;

import dev.robustlab.eval.live.MetricUpdate;
import dev.robustlab.eval.live.MetricUpdates;
import dev.robustlab.eval.storage.EvalStore;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Metrics of a run: a snapshot, and a live stream of updates. */
@Path("/api/runs/{id}/metrics")
public class MetricsResource {
    @Inject
    EvalStore store;

    @Inject
    MetricUpdates updates;

    /** Per-epoch accuracies, best / final / diff and failures; 404 when nothing is recorded for the run. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response metrics(@PathParam("id") String runId) {
        return store.load(runId)
                .map(data -> Response.ok(MetricsView.of(runId, data)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "no evaluation is recorded for run '" + runId
                                + "': no checkpoint of it was evaluated yet, or the id is unknown"))
                        .build());
    }

    /**
     * Server-sent events, one JSON {@link MetricUpdate} each: {@code shard} for every merged shard,
     * {@code attack-complete} with the accuracies when all shards of an (epoch, attack) are in, {@code job-failed}.
     * The stream stays open; any number of clients may follow the same run.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<MetricUpdate> stream(@PathParam("id") String runId) {
        return updates.of(runId);
    }
}
