package dev.robustlab.service.health;

import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /q/health/live} and {@code /q/health/ready}: 200 with {@code "status":"UP"} when every check passes,
 * 503 with {@code "status":"DOWN"} and the failing checks' reasons otherwise.
 */
@Path("/q/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @Inject
    HealthCenter messaging;

    @Inject
    Instance<HealthContributor> contributors;

    @GET
    @Path("/live")
    public Response live() {
        return report(messaging.getLiveness(), HealthContributor::livenessProblem);
    }

    @GET
    @Path("/ready")
    public Response ready() {
        return report(messaging.getReadiness(), HealthContributor::readinessProblem);
    }

    @GET
    public Response all() {
        Response live = live();
        return live.getStatus() != 200 ? live : ready();
    }

    private Response report(HealthReport channels, Function<HealthContributor, String> problemOf) {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean up = true;
        for (HealthReport.ChannelInfo channel : channels.getChannels()) {
            up &= channel.isOk();
            checks.add(check("channel " + channel.getChannel(), channel.isOk(), channel.getMessage()));
        }
        for (HealthContributor contributor : contributors) {
            String problem = problemOf.apply(contributor);
            up &= problem == null;
            checks.add(check(contributor.name(), problem == null, problem));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        return Response.status(up ? 200 : 503).entity(body).build();
    }

    private static Map<String, Object> check(String name, boolean ok, String message) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", name);
        check.put("status", ok ? "UP" : "DOWN");
        if (message != null && !message.isBlank()) {
            check.put("data", Map.of("message", message));
        }
        return check;
    }
}
