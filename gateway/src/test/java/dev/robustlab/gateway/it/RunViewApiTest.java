package dev.robustlab.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.gateway.messaging.Channels;
import dev.robustlab.localstack.testing.Eventually;
import dev.robustlab.localstack.testing.LocalStackTestResource;
import dev.robustlab.localstack.testing.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** GET /api/runs and /api/runs/{id}, and the run view following run-status, against the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = LocalStackTestResource.COMPONENTS, value = "kafka,postgres"))
class RunViewApiTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static String submit(String name) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"dataset\": {\"name\": \"toy-circles\"}, \"epochs\": 4}")
                .when().post("/api/runs").then().statusCode(202).extract().path("id");
    }

    private void status(String runId, String phase, Integer epoch, int second) {
        RunStatusChanged e = new RunStatusChanged(runId, phase, epoch, 4, epoch == null ? null : 1.0 / epoch,
                epoch == null ? null : 0.2 * epoch, 1.5, phase.equals("failed") ? "diverged" : null, "trainer-t",
                T0.plusSeconds(second));
        TestKafka.send(bootstrap, Channels.RUN_STATUS, runId, EventJson.encode(e));
    }

    @Test
    void oneRunWithItsSpecLinksAndTimestamps() {
        String id = submit("view-" + UUID.randomUUID());
        given().when().get("/api/runs/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("requested"))
                .body("epoch", nullValue())
                .body("epochs", equalTo(4))
                .body("spec.dataset.name", equalTo("toy-circles"))
                .body("spec.optimizer.learningRate", equalTo(0.5f))
                .body("url", equalTo("/api/runs/" + id))
                .body("metricsUrl", equalTo("http://localhost:8083/api/runs/" + id + "/metrics"))
                .body("metricsStreamUrl", equalTo("http://localhost:8083/api/runs/" + id + "/metrics/stream"))
                .body("createdAt", containsString("T"));
    }

    @Test
    void anUnknownRunIs404WithAMessage() {
        given().when().get("/api/runs/no-such-run").then().statusCode(404)
                .body("error", equalTo("no run with id 'no-such-run'"));
    }

    @Test
    void theListIsNewestFirstAndHonoursTheLimit() {
        String first = submit("list-a");
        String second = submit("list-b");
        List<String> ids = given().when().get("/api/runs?limit=2").then().statusCode(200).extract().path("id");
        assertEquals(List.of(second, first), ids);
        given().when().get("/api/runs?limit=0").then().statusCode(400).body("error", containsString("limit"));
        given().when().get("/api/runs?limit=many").then().statusCode(400);
    }

    @Test
    void runStatusMovesTheRunForwardAndIgnoresOlderEpochs() {
        String id = submit("progress-" + UUID.randomUUID());
        status(id, "started", null, 1);
        status(id, "epoch-completed", 1, 2);
        status(id, "epoch-completed", 3, 4);
        status(id, "epoch-completed", 2, 3);
        status(id, "epoch-completed", 3, 4);
        Eventually.within(Duration.ofSeconds(30), () -> given().when().get("/api/runs/" + id).then()
                .body("status", equalTo("training"))
                .body("epoch", equalTo(3)));
        // Give the late epoch-2 event and the duplicate time to be (not) applied, then check again.
        status(id, "epoch-completed", 2, 3);
        status(id, "failed", null, 5);
        Eventually.within(Duration.ofSeconds(30), () -> given().when().get("/api/runs/" + id).then()
                .body("status", equalTo("failed")));
        given().when().get("/api/runs/" + id).then()
                .body("epoch", equalTo(3))
                .body("trainLoss", equalTo((float) (1.0 / 3)))
                .body("failureReason", equalTo("diverged"))
                .body("trainer", equalTo("trainer-t"))
                .body("startedAt", equalTo("2025-06-01T10:00:01Z"))
                .body("finishedAt", equalTo("2025-06-01T10:00:05Z"));
        status(id, "completed", 4, 6);
        status(id, "epoch-completed", 4, 6);
        // A poison record lands on the dead-letter topic and the service stays ready.
        TestKafka.send(bootstrap, Channels.RUN_STATUS, id, "definitely not json");
        Eventually.within(Duration.ofSeconds(30), () -> {
            List<ConsumerRecord<String, String>> dead = TestKafka.readAll(bootstrap, "run-status-dlq",
                    Duration.ofMillis(200));
            assertEquals(1, dead.stream().filter(r -> r.value().equals("definitely not json")).count());
        });
        given().when().get("/api/runs/" + id).then().body("status", equalTo("failed")).body("epoch", equalTo(3));
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
