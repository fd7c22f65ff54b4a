package dev.robustlab.service.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code GET /q/metrics}: every meter of the service in the Prometheus text format (version 0.0.4). */
@Path("/q/metrics")
public class MetricsResource {
    /** The content type Prometheus expects for the text format. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    PrometheusMeterRegistry registry;

    @GET
    @Produces(TEXT_FORMAT)
    public String scrape() {
        return registry.scrape();
    }
}
