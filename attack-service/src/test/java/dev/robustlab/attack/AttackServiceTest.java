package dev.robustlab.attack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.attack.storage.CheckpointCache;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.Topics;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.localstack.LocalStack;
import dev.robustlab.localstack.testing.LocalStackTestResource;
import dev.robustlab.localstack.testing.TestKafka;
import dev.robustlab.localstack.testing.TopicWatcher;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.ml.training.TrainingRun;
import dev.robustlab.service.worker.storage.Sha256;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** attack-service against the real broker and S3 endpoint of the local stack, on a checkpoint trained here. */
@QuarkusTest
@WithTestResource(value = LocalStackTestResource.class,
        initArgs = @ResourceArg(name = LocalStackTestResource.COMPONENTS, value = "kafka,s3"))
class AttackServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final double EPSILON = 0.1;
    private static final double STEP = 0.025;
    private static final RunSpec SPEC = new RunSpec("attack-it", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 256, 64, 7L),
            new ModelSpec(ModelSpec.MLP, 16), new TrainingSpec(TrainingSpec.STANDARD, null), 2, 64, null, null,
            new ThreatModel(null, EPSILON, null, 3), null, 11L).withDefaults();

    private static LocalStack stack;
    private static KafkaProducer<String, String> producer;
    private static MinioClient s3;
    private static byte[] checkpoint;
    private static CheckpointRef stored;

    @Inject
    CheckpointCache cache;

    @BeforeAll
    static void trainAndStoreACheckpoint() throws Exception {
        stack = LocalStackTestResource.current();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey()).build();
        try (TrainingRun run = TrainingRun.start(SPEC)) {
            run.trainEpoch();
            run.trainEpoch();
            checkpoint = run.checkpoint();
        }
        String key = "runs/attack-it-" + UUID.randomUUID() + "/epoch-002/model.params";
        s3.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object(key)
                .stream(new ByteArrayInputStream(checkpoint), checkpoint.length, -1).build());
        stored = new CheckpointRef(stack.s3Bucket(), key, key.replace("model.params", "manifest.json"),
                Sha256.hex(checkpoint), checkpoint.length);
    }

    @AfterAll
    static void close() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static AttackRequested job(String runId, CheckpointRef ref, int shard, int offset, int count) {
        return new AttackRequested(AttackRequested.jobId(runId, 2, "pgd-20", shard), runId, 2, "pgd-20", "linf",
                EPSILON, STEP, SPEC.dataset(), SPEC.model(), shard, 2, offset, count, 5L, ref);
    }

    @Test
    void refusesACheckpointWithTheWrongHashStaysHealthyThenMeasuresAValidJob() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        String wrongHash = Sha256.hex("not the checkpoint".getBytes());
        CheckpointRef wrong = new CheckpointRef(stored.bucket(), stored.objectKey(), stored.manifestKey(), wrongHash,
                stored.sizeBytes());
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.ATTACK_FAILED,
                Topics.ROBUSTNESS_MEASURED)) {
            AttackRequested refused = job(runId, wrong, 0, 0, 32);
            send(refused.jobId(), EventJson.encode(refused));
            ConsumerRecord<String, String> failedRecord = watcher.await("attack failed",
                    r -> r.topic().equals(Topics.ATTACK_FAILED) && runId.equals(r.key()), 1, TIMEOUT).get(0);
            assertEquals(EventTypes.ATTACK_FAILED, TestKafka.header(failedRecord, "ce_type"));
            assertEquals("/robustlab/attack-service", TestKafka.header(failedRecord, "ce_source"));
            AttackFailed failed = EventJson.decode(failedRecord.value(), AttackFailed.class);
            assertEquals(refused.jobId(), failed.jobId());
            assertEquals(0, failed.shardIndex());
            assertTrue(failed.reason().contains("expected " + wrongHash), failed.reason());
            assertTrue(failed.reason().contains(stored.sha256()), "names the actual hash: " + failed.reason());
            assertNotNull(failed.worker());
            assertFalse(Files.exists(cache.pathOf(wrongHash)), "a mismatching download is never kept");
            everyCachedFileMatchesItsName();
            healthy();

            AttackRequested valid = job(runId, stored, 1, 16, 32);
            send(valid.jobId(), EventJson.encode(valid));
            ConsumerRecord<String, String> measuredRecord = watcher.await("robustness measured",
                    r -> r.topic().equals(Topics.ROBUSTNESS_MEASURED) && runId.equals(r.key()), 1, TIMEOUT).get(0);
            assertEquals(EventTypes.ROBUSTNESS_MEASURED, TestKafka.header(measuredRecord, "ce_type"));
            RobustnessMeasured measured = EventJson.decode(measuredRecord.value(), RobustnessMeasured.class);

            ShardResult expected = ShardEvaluation.run(checkpoint, SPEC.model(), SPEC.dataset(), "pgd-20", "linf",
                    EPSILON, STEP, 16, 32, 5L);
            assertEquals(valid.jobId(), measured.jobId());
            assertEquals(2, measured.epoch());
            assertEquals("pgd-20", measured.attack());
            assertEquals(1, measured.shardIndex());
            assertEquals(2, measured.shardCount());
            assertEquals(16, measured.offset());
            assertEquals(32, measured.examples());
            assertEquals(expected.correctClean(), measured.correctClean());
            assertEquals(expected.robust(), measured.robust());
            assertEquals(32, measured.robustFlags().size());
            boolean[] flags = new boolean[32];
            for (int i = 0; i < 32; i++) {
                flags[i] = measured.robustFlags().get(i);
            }
            assertArrayEquals(expected.robustFlags(), flags);
            assertTrue(measured.correctClean() > 0, "a trained model gets some right: " + measured.correctClean());
            assertTrue(measured.seconds() > 0);
            assertNotNull(measured.worker());
            assertArrayEquals(checkpoint, Files.readAllBytes(cache.pathOf(stored.sha256())), "cached by hash");
            everyCachedFileMatchesItsName();
        }
        healthy();
    }

    @Test
    void aJobLongerThanTheMaxPollIntervalIsNeitherRedeliveredNorUnhealthy() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        String slowKey = "runs/" + runId + SlowCheckpointSource.SLOW_MARKER + "model.params";
        s3.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object(slowKey)
                .stream(new ByteArrayInputStream(checkpoint), checkpoint.length, -1).build());
        CheckpointRef slow = new CheckpointRef(stored.bucket(), slowKey, "m", stored.sha256(), stored.sizeBytes());
        // A checkpoint already cached would never be fetched: make sure this one is not.
        Files.deleteIfExists(cache.pathOf(stored.sha256()));
        AttackRequested longJob = job(runId, slow, 0, 0, 32);
        long sent = System.nanoTime();
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.ROBUSTNESS_MEASURED,
                Topics.ATTACK_FAILED)) {
            send(longJob.jobId(), EventJson.encode(longJob));
            RobustnessMeasured measured = EventJson.decode(watcher.await("robustness measured",
                    r -> runId.equals(r.key()), 1, TIMEOUT).get(0).value(), RobustnessMeasured.class);
            assertEquals(longJob.jobId(), measured.jobId());
            assertTrue(Duration.ofNanos(System.nanoTime() - sent).compareTo(SlowCheckpointSource.stall()) > 0);
            // A consumer evicted for not polling would get the record again and measure it twice.
            Thread.sleep(3000);
            assertEquals(1, watcher.seen(r -> runId.equals(r.key())).size());
        }
        healthy();
    }

    @Test
    void missingCheckpointsAndShardsOutsideTheTestSplitAreReportedAsFailed() {
        String runId = "run-" + UUID.randomUUID();
        CheckpointRef missing = new CheckpointRef(stored.bucket(), "runs/none/epoch-001/model.params", "m",
                Sha256.hex(new byte[] {1}), 1);
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.ATTACK_FAILED)) {
            AttackRequested noObject = job(runId, missing, 0, 0, 8);
            AttackRequested outside = job(runId, stored, 1, 60, 10);
            send(noObject.jobId(), EventJson.encode(noObject));
            send(outside.jobId(), EventJson.encode(outside));
            List<AttackFailed> failures = watcher.await("two failures", r -> runId.equals(r.key()), 2, TIMEOUT)
                    .stream().map(r -> EventJson.decode(r.value(), AttackFailed.class)).toList();
            AttackFailed first = failures.stream().filter(f -> f.shardIndex() == 0).findFirst().orElseThrow();
            AttackFailed second = failures.stream().filter(f -> f.shardIndex() == 1).findFirst().orElseThrow();
            assertTrue(first.reason().contains("does not exist"), first.reason());
            assertTrue(second.reason().contains("outside the test split"), second.reason());
        }
        healthy();
    }

    @Test
    void aRecordThatIsNotAJobGoesToTheDeadLetterTopic() {
        String key = "poison-" + UUID.randomUUID();
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(),
                Topics.deadLetter(Topics.ATTACK_REQUESTED))) {
            send(key, "<<not json>>");
            ConsumerRecord<String, String> dead = watcher.await("dead letter", r -> key.equals(r.key()), 1, TIMEOUT)
                    .get(0);
            assertEquals("<<not json>>", dead.value());
            assertNotNull(TestKafka.header(dead, "dead-letter-reason"));
        }
        healthy();
    }

    /** The cache holds only verified checkpoints, each under its own hash, and no leftover partial files. */
    private void everyCachedFileMatchesItsName() throws Exception {
        try (var files = Files.list(cache.directory())) {
            for (var file : files.toList()) {
                String name = file.getFileName().toString();
                assertTrue(Sha256.isHex(name), "unexpected file in the cache: " + name);
                assertEquals(name, Sha256.hex(Files.readAllBytes(file)));
            }
        }
    }

    private static void healthy() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(Topics.ATTACK_REQUESTED, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
