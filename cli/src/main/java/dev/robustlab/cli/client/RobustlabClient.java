package dev.robustlab.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.contracts.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Calls the gateway ({@code /api/runs}) and eval-service ({@code /api/runs/{id}/metrics}). */
public final class RobustlabClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gatewayUrl;
    private final String evalUrl;

    public RobustlabClient(String gatewayUrl, String evalUrl) {
        this.gatewayUrl = gatewayUrl;
        this.evalUrl = evalUrl;
    }

    /**
     * Submits a run spec.
     *
     * @return the gateway's answer ({@code id}, {@code url}, {@code status})
     * @throws ApiException when the gateway refuses it; the message lists the fields and reasons
     */
    public JsonNode submitRun(String specJson) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/runs"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(specJson)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new ApiException("POST /api/runs answered " + response.statusCode() + ": " + response.body());
        }
        return EventJson.mapper().readTree(response.body());
    }

    /** The gateway's view of a run. */
    public JsonNode run(String runId) throws IOException, InterruptedException {
        return get(gatewayUrl + "/api/runs/" + runId)
                .orElseThrow(() -> new ApiException("the gateway does not know run " + runId));
    }

    /** eval-service's metrics of a run, or empty while it has none. */
    public Optional<JsonNode> metrics(String runId) throws IOException, InterruptedException {
        return get(evalUrl + "/api/runs/" + runId + "/metrics");
    }

    private Optional<JsonNode> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new ApiException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return Optional.of(EventJson.mapper().readTree(response.body()));
    }

    /** A request the server refused. */
    public static final class ApiException extends RuntimeException {
        public ApiException(String message) {
            super(message);
        }
    }
}
