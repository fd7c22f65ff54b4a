package dev.robustlab.eval.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.Topics;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.eval.messaging.Channels;
import dev.robustlab.localstack.testing.Eventually;
import dev.robustlab.localstack.testing.LocalStackTestResource;
import dev.robustlab.localstack.testing.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** eval-service against the real broker and PostgreSQL of the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackTestResource.class,
        initArgs = @ResourceArg(name = LocalStackTestResource.COMPONENTS, value = "kafka,postgres"))
class EvalServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final CheckpointRef REF = new CheckpointRef("robustlab-checkpoints", "runs/x/epoch-1.params",
            "runs/x/epoch-1.json", "ab".repeat(32), 1234);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/")
    URL base;

    private void send(String topic, String runId, Object event) {
        TestKafka.send(bootstrap, topic, runId, event instanceof String s ? s : EventJson.encode(event));
    }

    private static RobustnessMeasured shard(String runId, int epoch, int index, int count, int offset, int examples,
                                            int correct, int robust) {
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            flags.add(i < robust);
        }
        return new RobustnessMeasured(AttackRequested.jobId(runId, epoch, "pgd-20", index), runId, epoch, "pgd-20",
                index, count, offset, examples, correct, robust, flags, 0.5, "attack-test");
    }

    /** Waits until a poison record with key {@code runId} reached the DLQ: all earlier records of the key are done. */
    private void drain(String topic, String runId) {
        String marker = "not json, marker " + UUID.randomUUID();
        TestKafka.send(bootstrap, topic, runId, marker);
        Eventually.within(TIMEOUT, () -> assertTrue(TestKafka.readAll(bootstrap, Topics.deadLetter(topic),
                Duration.ofMillis(100)).stream().anyMatch(r -> r.value().equals(marker)), "marker in DLQ"));
    }

    private List<ConsumerRecord<String, String>> recordsOf(String topic, String runId) {
        return TestKafka.readAll(bootstrap, topic, Duration.ofMillis(500)).stream()
                .filter(r -> r.value().contains("\"runId\":\"" + runId + "\"")).toList();
    }

    @Test
    void aCheckpointBecomesOneJobPerAttackAndShardAndARedeliveryPlansNothingNew() {
        String runId = "plan-" + UUID.randomUUID();
        RunSpec spec = new RunSpec("plan", new DatasetSpec("toy-circles", 100, 300, null), null, null, 2, null,
                null, null, null, new EvaluationPlan(null, null, null, 250, 100, null), 11L).withDefaults();
        CheckpointCreated epoch1 = new CheckpointCreated(runId, 1, 2, "mlp(hidden=64)", REF, spec, Instant.now());
        send(Channels.CHECKPOINT_CREATED, runId, epoch1);
        send(Channels.CHECKPOINT_CREATED, runId, epoch1);
        send(Channels.CHECKPOINT_CREATED, runId, new CheckpointCreated(runId, 2, 2, "mlp(hidden=64)", REF, spec,
                Instant.now()));
        drain(Channels.CHECKPOINT_CREATED, runId);

        Eventually.within(TIMEOUT, () -> assertEquals(12, recordsOf(Channels.ATTACK_REQUESTED, runId).size()));
        List<ConsumerRecord<String, String>> records = recordsOf(Channels.ATTACK_REQUESTED, runId);
        List<AttackRequested> epoch1Jobs = records.stream()
                .map(r -> EventJson.decode(r.value(), AttackRequested.class))
                .filter(j -> j.epoch() == 1)
                .sorted(Comparator.comparing(AttackRequested::attack).reversed()
                        .thenComparingInt(AttackRequested::shardIndex))
                .toList();
        assertEquals(6, epoch1Jobs.size(), "the redelivered checkpoint planned nothing new");
        assertEquals(List.of(0, 100, 200, 0, 100, 200), epoch1Jobs.stream().map(AttackRequested::offset).toList());
        assertEquals(List.of(100, 100, 50, 100, 100, 50), epoch1Jobs.stream().map(AttackRequested::count).toList());
        assertEquals(List.of("pgd-20", "pgd-20", "pgd-20", "cw-inf", "cw-inf", "cw-inf"),
                epoch1Jobs.stream().map(AttackRequested::attack).toList());
        assertTrue(epoch1Jobs.stream().allMatch(j -> j.shardCount() == 3 && j.checkpoint().equals(REF)));
        for (ConsumerRecord<String, String> r : records) {
            AttackRequested job = EventJson.decode(r.value(), AttackRequested.class);
            assertEquals(job.jobId(), r.key(), "keyed by job id");
            assertEquals(AttackRequested.jobId(runId, job.epoch(), job.attack(), job.shardIndex()), job.jobId());
            assertEquals(EventTypes.ATTACK_REQUESTED, TestKafka.header(r, "ce_type"));
            assertEquals(job.jobId(), TestKafka.header(r, "ce_id"));
            assertEquals("/robustlab/eval-service", TestKafka.header(r, "ce_source"));
        }

        given().when().get("/api/runs/" + runId + "/metrics").then().statusCode(200)
                .body("attacks", equalTo(List.of("pgd-20", "cw-inf")))
                .body("epochs", hasSize(2))
                .body("epochs[0].complete", equalTo(false))
                .body("epochs[0].progress.done", equalTo(0))
                .body("epochs[0].progress.expected", equalTo(6))
                .body("epochs[0].'pgd-20'", nullValue())
                .body("best", nullValue());
    }

    @Test
    void aDuplicatedResultIsCountedOnceAndEachAttackIsRecordedOnce() throws Exception {
        String runId = "merge-" + UUID.randomUUID();
        URI stream = base.toURI().resolve("api/runs/" + runId + "/metrics/stream");
        try (SseClient first = new SseClient(stream); SseClient second = new SseClient(stream)) {
            assertEquals(200, first.awaitConnected(Duration.ofSeconds(10)));
            assertEquals(200, second.awaitConnected(Duration.ofSeconds(10)));

            // Epoch 1: 10 examples in shards of 4, 4, 2. Clean (4+3+1)/10 = 0.8, robust (2+1+1)/10 = 0.4.
            RobustnessMeasured shard0 = shard(runId, 1, 0, 3, 0, 4, 4, 2);
            send(Channels.ROBUSTNESS_MEASURED, runId, shard0);
            send(Channels.ROBUSTNESS_MEASURED, runId, shard0);
            send(Channels.ROBUSTNESS_MEASURED, runId, shard(runId, 1, 1, 3, 4, 4, 3, 1));
            send(Channels.ROBUSTNESS_MEASURED, runId, shard(runId, 1, 2, 3, 8, 2, 1, 1));
            send(Channels.ROBUSTNESS_MEASURED, runId, shard0);
            // Epoch 2: one shard of 10, clean 0.9, robust 0.3.
            send(Channels.ROBUSTNESS_MEASURED, runId, shard(runId, 2, 0, 1, 0, 10, 9, 3));
            drain(Channels.ROBUSTNESS_MEASURED, runId);

            given().when().get("/api/runs/" + runId + "/metrics").then().statusCode(200)
                    .body("runId", equalTo(runId))
                    .body("accuracy", equalTo("fraction"))
                    .body("epochs", hasSize(2))
                    .body("epochs[0].epoch", equalTo(1))
                    .body("epochs[0].clean", equalTo(0.8f))
                    .body("epochs[0].'pgd-20'", equalTo(0.4f))
                    .body("epochs[0].complete", equalTo(true))
                    .body("epochs[0].progress.done", equalTo(3))
                    .body("epochs[0].progress.expected", equalTo(3))
                    .body("epochs[1].clean", equalTo(0.9f))
                    .body("epochs[1].'pgd-20'", equalTo(0.3f))
                    .body("best.epoch", equalTo(1))
                    .body("final.epoch", equalTo(2))
                    .body("diff.clean", equalTo((float) (0.8 - 0.9)))
                    .body("diff.'pgd-20'", equalTo((float) (0.4 - 0.3)))
                    .body("selectedBy", equalTo("pgd-20"))
                    .body("failures", hasSize(0));

            Eventually.within(TIMEOUT, () -> assertEquals(2,
                    recordsOf(Channels.EPOCH_METRICS, runId).size()));
            List<ConsumerRecord<String, String>> metrics = recordsOf(Channels.EPOCH_METRICS, runId);
            ConsumerRecord<String, String> epoch1 = metrics.stream()
                    .filter(r -> EventJson.decode(r.value(), EpochMetricRecorded.class).epoch() == 1)
                    .reduce((a, b) -> {
                        throw new AssertionError("epoch 1 was recorded twice");
                    }).orElseThrow();
            assertEquals(runId, epoch1.key());
            assertEquals(EventTypes.EPOCH_METRIC_RECORDED, TestKafka.header(epoch1, "ce_type"));
            assertEquals(runId + "/1/pgd-20", TestKafka.header(epoch1, "ce_id"));
            assertEquals(new EpochMetricRecorded(runId, 1, "pgd-20", 10, 0.8, 0.4),
                    EventJson.decode(epoch1.value(), EpochMetricRecorded.class));

            for (SseClient client : List.of(first, second)) {
                Eventually.within(Duration.ofSeconds(10), () -> {
                    assertEquals(2, client.data.stream().filter(d -> d.contains("\"attack-complete\"")).count(),
                            client.data.toString());
                    assertEquals(4, client.data.stream().filter(d -> d.contains("\"kind\":\"shard\"")).count(),
                            client.data.toString());
                });
                assertTrue(client.data.stream().anyMatch(d -> d.contains("\"kind\":\"attack-complete\"")
                        && d.contains("\"epoch\":1") && d.contains("\"robustAccuracy\":0.4")), client.data.toString());
            }
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheServiceStaysHealthy() {
        TestKafka.send(bootstrap, Channels.ROBUSTNESS_MEASURED, "poison", "{ this is not json");
        Eventually.within(TIMEOUT, () -> assertTrue(TestKafka.readAll(bootstrap,
                Topics.deadLetter(Topics.ROBUSTNESS_MEASURED), Duration.ofMillis(100)).stream()
                .anyMatch(r -> r.value().equals("{ this is not json"))));
        // An inconsistent result (robust > examples) is refused the same way.
        String runId = "bad-" + UUID.randomUUID();
        send(Channels.ROBUSTNESS_MEASURED, runId, new RobustnessMeasured("j", runId, 1, "pgd-20", 0, 1, 0, 2, 1, 2,
                List.of(true, true), 0.1, "w"));
        Eventually.within(TIMEOUT, () -> assertTrue(TestKafka.readAll(bootstrap,
                Topics.deadLetter(Topics.ROBUSTNESS_MEASURED), Duration.ofMillis(100)).stream()
                .anyMatch(r -> r.value().contains(runId))));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/api/runs/" + runId + "/metrics").then().statusCode(404);
    }

    @Test
    void failedJobsAreListedWithTheMetrics() {
        String runId = "fail-" + UUID.randomUUID();
        AttackFailed failed = new AttackFailed(AttackRequested.jobId(runId, 1, "cw-inf", 2), runId, 1, "cw-inf", 2,
                "checkpoint SHA-256 mismatch", "attack-7");
        send(Channels.ATTACK_FAILED, runId, failed);
        send(Channels.ATTACK_FAILED, runId, failed);
        drain(Channels.ATTACK_FAILED, runId);
        given().when().get("/api/runs/" + runId + "/metrics").then().statusCode(200)
                .body("failures", hasSize(1))
                .body("failures[0].jobId", equalTo(runId + "/1/cw-inf/2"))
                .body("failures[0].reason", equalTo("checkpoint SHA-256 mismatch"))
                .body("failures[0].worker", equalTo("attack-7"))
                .body("epochs", hasSize(0));
    }

    @Test
    void anUnknownRunIs404() {
        given().when().get("/api/runs/nobody/metrics").then().statusCode(404)
                .body("error", containsString("nobody"));
    }
}
