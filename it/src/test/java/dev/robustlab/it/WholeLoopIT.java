package dev.robustlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.cli.client.RobustlabClient;
import dev.robustlab.cli.cluster.Cluster;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.Topics;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.localstack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop as separate processes on a real Kafka broker, S3 endpoint and PostgreSQL: a run enters at the
 * gateway, the trainer checkpoints every epoch, two attack workers share the jobs, eval-service merges them. The
 * test asserts the metrics eval-service serves and stores, and the events that crossed the broker.
 */
class WholeLoopIT {
    private static final int EPOCHS = 3;
    private static final int EXAMPLES = 400;
    private static final int SHARD_SIZE = 100;
    private static final List<String> ATTACKS = List.of("pgd-20", "cw-inf");

    private static LocalStack stack;
    private static Cluster cluster;

    @BeforeAll
    static void startEverything() throws Exception {
        Path root = Path.of(System.getProperty("robustlab.root", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("robustlab.test.state", "target/robustlab-test-state"))
                .resolve("whole-loop-" + UUID.randomUUID());
        stack = LocalStack.start(state.resolve("stack"), EnumSet.allOf(LocalStack.Component.class));
        cluster = Cluster.start(root, state, stack.serviceEnvironment(), 2, System.out::println,
                Duration.ofMinutes(4));
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRunIsTrainedMeasuredEveryEpochAndReported() throws Exception {
        RobustlabClient client = new RobustlabClient(cluster.gatewayUrl(), cluster.evalUrl());
        String spec = """
                {"name": "whole loop", "dataset": {"name": "toy-circles", "trainSize": 600, "testSize": %d},
                 "epochs": %d, "batchSize": 100,
                 "training": {"method": "pgd-at", "piat": {"enabled": true}},
                 "threatModel": {"epsilon": 0.05, "stepSize": 0.0125, "steps": 5},
                 "evaluation": {"attacks": ["pgd-20", "cw-inf"], "examples": %d, "shardSize": %d},
                 "seed": 7}
                """.formatted(EXAMPLES, EPOCHS, EXAMPLES, SHARD_SIZE);
        String runId = client.submitRun(spec).path("id").asText();

        JsonNode metrics = awaitAllEpochsMeasured(client, runId, Duration.ofMinutes(5));

        JsonNode run = client.run(runId);
        assertEquals("completed", run.path("status").asText(), run.toString());
        assertMetricsAreConsistent(metrics);
        assertStoredShardResults(runId);
        assertEvents(runId, metrics);
    }

    private static JsonNode awaitAllEpochsMeasured(RobustlabClient client, String runId, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode run = client.run(runId);
            if ("failed".equals(run.path("status").asText())) {
                throw new AssertionError("run failed: " + run);
            }
            last = client.metrics(runId).orElse(null);
            if (last != null && completeEpochs(last) == EPOCHS && "completed".equals(run.path("status").asText())) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not every epoch was measured in " + timeout + "; last metrics: " + last);
    }

    private static long completeEpochs(JsonNode metrics) {
        long n = 0;
        for (JsonNode e : metrics.path("epochs")) {
            n += e.path("complete").asBoolean() ? 1 : 0;
        }
        return n;
    }

    /** Accuracies are fractions, robust ≤ clean, best = argmax PGD-20, final = last epoch, diff = best − final. */
    private static void assertMetricsAreConsistent(JsonNode metrics) {
        JsonNode bestRow = null;
        JsonNode lastRow = null;
        for (JsonNode e : metrics.path("epochs")) {
            double clean = e.path("clean").asDouble();
            assertTrue(clean >= 0 && clean <= 1, e.toString());
            for (String attack : ATTACKS) {
                double robust = e.path(attack).asDouble(-1);
                assertTrue(robust >= 0 && robust <= clean + 1e-12, attack + " above clean in " + e);
            }
            if (bestRow == null || e.path("pgd-20").asDouble() > bestRow.path("pgd-20").asDouble()) {
                bestRow = e;
            }
            lastRow = e;
        }
        assertNotNull(lastRow);
        assertEquals(EPOCHS, lastRow.path("epoch").asInt());
        // Training must have learnt something: the toy classes are separable, chance is 50 %.
        assertTrue(lastRow.path("clean").asDouble() > 0.6, "clean accuracy after training: " + lastRow);
        assertEquals(bestRow.path("epoch").asInt(), metrics.path("best").path("epoch").asInt());
        assertEquals(EPOCHS, metrics.path("final").path("epoch").asInt());
        for (String m : List.of("clean", "pgd-20", "cw-inf")) {
            assertEquals(bestRow.path(m).asDouble() - lastRow.path(m).asDouble(),
                    metrics.path("diff").path(m).asDouble(), 1e-9, "diff of " + m);
        }
    }

    private static void assertStoredShardResults(String runId) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery(
                     "select count(*) from eval.shard_results where run_id = '" + runId + "'")) {
            rows.next();
            assertEquals(EPOCHS * ATTACKS.size() * (EXAMPLES / SHARD_SIZE), rows.getInt(1));
        }
    }

    private static void assertEvents(String runId, JsonNode metrics) {
        Map<String, List<ConsumerRecord<String, String>>> byTopic = readAll(List.of(Topics.RUN_REQUESTED,
                Topics.RUN_STATUS, Topics.CHECKPOINT_CREATED, Topics.ATTACK_REQUESTED, Topics.ROBUSTNESS_MEASURED,
                Topics.EPOCH_METRICS), runId);

        assertEquals(List.of(EventTypes.RUN_REQUESTED), types(byTopic.get(Topics.RUN_REQUESTED)));
        List<String> status = types(byTopic.get(Topics.RUN_STATUS));
        assertEquals(EventTypes.RUN_STARTED, status.get(0));
        assertEquals(EventTypes.RUN_COMPLETED, status.get(status.size() - 1));
        assertEquals(EPOCHS, status.stream().filter(EventTypes.RUN_EPOCH_COMPLETED::equals).count());
        assertEquals(EPOCHS, byTopic.get(Topics.CHECKPOINT_CREATED).size());

        int jobs = EPOCHS * ATTACKS.size() * (EXAMPLES / SHARD_SIZE);
        List<ConsumerRecord<String, String>> requested = byTopic.get(Topics.ATTACK_REQUESTED);
        assertEquals(jobs, requested.size());
        Set<Integer> partitions = requested.stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
        assertTrue(partitions.size() > 1, "the jobs of one run must spread over partitions: " + partitions);

        List<RobustnessMeasured> results = byTopic.get(Topics.ROBUSTNESS_MEASURED).stream()
                .map(r -> EventJson.decode(r.value(), RobustnessMeasured.class)).toList();
        Set<String> jobIds = results.stream().map(RobustnessMeasured::jobId).collect(Collectors.toSet());
        assertEquals(jobs, jobIds.size());
        Set<String> workers = results.stream().map(RobustnessMeasured::worker).collect(Collectors.toSet());
        assertEquals(Set.of("attack-service-1", "attack-service-2"), workers, "both attack workers took jobs");
        for (RobustnessMeasured r : results) {
            assertEquals(r.examples(), r.robustFlags().size());
            assertEquals(r.robust(), r.robustFlags().stream().filter(b -> b).count());
            assertTrue(r.robust() <= r.correctClean());
        }

        assertEquals(EPOCHS * ATTACKS.size(), byTopic.get(Topics.EPOCH_METRICS).size());
        for (List<ConsumerRecord<String, String>> records : byTopic.values()) {
            for (ConsumerRecord<String, String> r : records) {
                for (String header : List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time")) {
                    assertNotNull(r.headers().lastHeader(header), header + " missing on " + r.topic());
                }
            }
        }
    }

    /** Every record of the given topics that concerns {@code runId}, read from the beginning. */
    private static Map<String, List<ConsumerRecord<String, String>>> readAll(List<String> topics, String runId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, List<ConsumerRecord<String, String>>> byTopic = new java.util.HashMap<>();
        topics.forEach(t -> byTopic.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            // Assigned, not subscribed: no group to join, reading starts at once.
            List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Set<String> seen = new HashSet<>();
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    quietSince = System.nanoTime();
                    if (r.value() != null && r.value().contains(runId)
                            && seen.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
                        byTopic.get(r.topic()).add(r);
                    }
                }
            }
        }
        return byTopic;
    }

    private static List<String> types(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> {
            Header h = r.headers().lastHeader("ce_type");
            return h == null ? "(none)" : new String(h.value(), StandardCharsets.UTF_8);
        }).toList();
    }
}
