package dev.robustlab.gateway.api;

import dev.robustlab.gateway.runs.RunPublisher;
import dev.robustlab.gateway.runs.RunStore;
import dev.robustlab.gateway.runs.RunSubmission;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs: submit one, list them, read one.
 * <ul>
 *   <li>{@code POST /api/runs} with a JSON run spec: 202 {@code {"id", "url", "status", "metricsUrl"}} and a
 *       {@code Location} header; 400 {@code {"error", "fields": [{"field", "reason"}]}} naming every bad field
 *       (nothing is stored or published); 503 {@code {"error", "id"}} when Kafka did not take the run (it is
 *       recorded as failed).</li>
 *   <li>{@code GET /api/runs?limit=N}: the newest runs first (default 50, at most 500).</li>
 *   <li>{@code GET /api/runs/{id}}: one run ({@link RunView}); 404 for an unknown id.</li>
 * </ul>
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @Inject
    RunStore store;

    @Inject
    RunPublisher publisher;

    @ConfigProperty(name = "robustlab.eval-url", defaultValue = "http://localhost:8083")
    String evalUrl;

    private RunSubmission submission;

    @PostConstruct
    void init() {
        submission = new RunSubmission(store, publisher);
        evalUrl = evalUrl.endsWith("/") ? evalUrl.substring(0, evalUrl.length() - 1) : evalUrl;
    }

    static String path(String id) {
        return "/api/runs/" + id;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        RunSubmission.Outcome outcome = submission.submit(body);
        if (outcome instanceof RunSubmission.Rejected rejected) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorBody(rejected.message(), rejected.errors(), null)).build();
        }
        if (outcome instanceof RunSubmission.Unavailable unavailable) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(new ErrorBody(unavailable.message(), null, unavailable.run().id())).build();
        }
        RunSubmission.Accepted accepted = (RunSubmission.Accepted) outcome;
        String id = accepted.run().id();
        Map<String, Object> body202 = new LinkedHashMap<>();
        body202.put("id", id);
        body202.put("url", path(id));
        body202.put("status", accepted.run().status());
        body202.put("metricsUrl", evalUrl + "/api/runs/" + id + "/metrics");
        return Response.accepted(body202).location(URI.create(path(id))).build();
    }

    @GET
    public Response list(@QueryParam("limit") String limit) {
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                return Response.status(Response.Status.BAD_REQUEST).entity(ErrorBody.of(
                        "limit must be a whole number between 1 and " + MAX_LIMIT + ", got '" + limit + "'")).build();
            }
        }
        return Response.ok(store.newest(n).stream().map(r -> RunView.of(r, evalUrl)).toList()).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return store.find(id)
                .map(r -> Response.ok(RunView.of(r, evalUrl)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(ErrorBody.of("no run with id '" + id + "'")).build());
    }
}
