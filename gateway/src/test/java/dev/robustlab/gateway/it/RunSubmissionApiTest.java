package dev.robustlab.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.gateway.messaging.Channels;
import dev.robustlab.localstack.testing.LocalStackTestResource;
import dev.robustlab.localstack.testing.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** POST /api/runs against the real broker and PostgreSQL of the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = LocalStackTestResource.COMPONENTS, value = "kafka,postgres"))
class RunSubmissionApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anInvalidRequestNamesEveryBadFieldAndPublishesNothing() {
        String invalidName = "invalid-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + invalidName + "\", \"dataset\": {\"name\": \"cifar-1000\"}, "
                        + "\"epochs\": \"ten\", \"threatModel\": {\"epsilon\": 2}, \"colour\": \"blue\"}")
                .when().post("/api/runs")
                .then().statusCode(400)
                .body("error", equalTo("the run spec has 4 problems"))
                .body("fields.field", equalTo(List.of("epochs", "colour", "dataset.name", "threatModel.epsilon")))
                .body("fields.reason", hasItems(containsString("unknown field"),
                        containsString("unknown dataset 'cifar-1000'")));

        String validName = "valid-" + UUID.randomUUID();
        Response accepted = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + validName + "\", \"dataset\": {\"name\": \"toy-circles\"}, \"epochs\": 3}")
                .when().post("/api/runs")
                .then().statusCode(202)
                .header("Location", startsWith("http"))
                .header("Location", containsString("/api/runs/"))
                .body("status", equalTo("requested"))
                .body("id", notNullValue())
                .extract().response();
        String id = accepted.path("id");
        assertEquals("/api/runs/" + id, accepted.path("url"));

        List<ConsumerRecord<String, String>> records = TestKafka.readAll(bootstrap, Channels.RUN_REQUESTED,
                Duration.ofSeconds(1));
        assertFalse(records.stream().anyMatch(r -> r.value().contains(invalidName)),
                "the invalid request was published");
        List<ConsumerRecord<String, String>> ours = records.stream()
                .filter(r -> r.value().contains(validName)).toList();
        assertEquals(1, ours.size(), "the valid run is published exactly once");
        ConsumerRecord<String, String> record = ours.get(0);
        assertEquals(id, record.key());
        assertEquals(EventTypes.RUN_REQUESTED, TestKafka.header(record, "ce_type"));
        assertEquals(id, TestKafka.header(record, "ce_id"));
        assertEquals("/robustlab/gateway", TestKafka.header(record, "ce_source"));
        assertNotNull(TestKafka.header(record, "ce_specversion"));
        RunRequested event = EventJson.decode(record.value(), RunRequested.class);
        assertEquals(id, event.runId());
        assertEquals(3, event.spec().epochs());
        assertEquals(List.of("pgd-20", "cw-inf"), event.spec().evaluation().attacks(), "defaults are filled in");

        // Every record on the topic is a run the gateway accepted: nothing else was published.
        List<String> acceptedIds = given().when().get("/api/runs?limit=500").then().statusCode(200)
                .extract().path("id");
        Set<String> keys = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertTrue(acceptedIds.containsAll(keys), "records " + keys + " vs accepted runs " + acceptedIds);
        assertEquals(records.size(), keys.size(), "one record per run");
    }

    @Test
    void nonJsonBodiesAreRefusedAsAWhole() {
        given().contentType(ContentType.JSON).body("{not json")
                .when().post("/api/runs")
                .then().statusCode(400)
                .body("error", startsWith("the request body is not JSON"))
                .body("fields", equalTo(List.of()));
    }

    @Test
    void theServiceIsReady() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("database"));
    }

}
