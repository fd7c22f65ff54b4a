package dev.robustlab.trainer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventTypes;
import dev.robustlab.contracts.Topics;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.localstack.LocalStack;
import dev.robustlab.localstack.testing.LocalStackTestResource;
import dev.robustlab.localstack.testing.TestKafka;
import dev.robustlab.localstack.testing.TopicWatcher;
import dev.robustlab.service.worker.storage.Sha256;
import dev.robustlab.trainer.storage.CheckpointKeys;
import dev.robustlab.trainer.storage.CheckpointManifest;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** trainer-service against the real broker and S3 endpoint of the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackTestResource.class,
        initArgs = @ResourceArg(name = LocalStackTestResource.COMPONENTS, value = "kafka,s3"))
class TrainerServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static KafkaProducer<String, String> producer;
    private static MinioClient s3;
    private static LocalStack stack;

    @BeforeAll
    static void clients() {
        stack = LocalStackTestResource.current();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey()).build();
    }

    @AfterAll
    static void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        s3.close();
    }

    /** A run small enough for a test: toy circles, 3 epochs of PGD-AT with 3 steps. */
    static RunSpec smallSpec(int epochs) {
        return new RunSpec("trainer-it", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 256, 64, 7L),
                new ModelSpec(ModelSpec.MLP, 16), new TrainingSpec(TrainingSpec.PGD_AT, null), epochs, 64, null, null,
                new ThreatModel(null, 0.1, null, 3), null, 11L).withDefaults();
    }

    @Test
    void runProducesStatusEventsAndVerifiableCheckpointsAndIsNotTrainedTwice() throws Exception {
        int epochs = 3;
        String runId = UUID.randomUUID().toString();
        RunRequested request = new RunRequested(runId, Instant.now(), smallSpec(epochs));
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS,
                Topics.CHECKPOINT_CREATED)) {
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(request));

            List<ConsumerRecord<String, String>> completed = watcher.await("completed",
                    status(runId, EventTypes.RUN_COMPLETED), 1, TIMEOUT);
            List<ConsumerRecord<String, String>> statuses = watcher.seen(status(runId, null));
            List<String> types = statuses.stream().map(r -> TestKafka.header(r, "ce_type"))
                    .collect(Collectors.toList());
            assertEquals(List.of(EventTypes.RUN_STARTED, EventTypes.RUN_EPOCH_COMPLETED,
                    EventTypes.RUN_EPOCH_COMPLETED, EventTypes.RUN_EPOCH_COMPLETED, EventTypes.RUN_COMPLETED), types);
            for (ConsumerRecord<String, String> record : statuses) {
                assertEquals(runId, record.key());
                assertEquals("/robustlab/trainer-service", TestKafka.header(record, "ce_source"));
                assertNotNull(TestKafka.header(record, "ce_id"));
            }
            List<RunStatusChanged> epochEvents = statuses.stream()
                    .filter(r -> EventTypes.RUN_EPOCH_COMPLETED.equals(TestKafka.header(r, "ce_type")))
                    .map(r -> EventJson.decode(r.value(), RunStatusChanged.class)).collect(Collectors.toList());
            for (int i = 0; i < epochs; i++) {
                RunStatusChanged e = epochEvents.get(i);
                assertEquals(RunStatusChanged.EPOCH_COMPLETED, e.phase());
                assertEquals(i + 1, e.epoch());
                assertEquals(epochs, e.epochs());
                assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "loss " + e.trainLoss());
                assertTrue(e.trainAccuracy() >= 0 && e.trainAccuracy() <= 1, "accuracy " + e.trainAccuracy());
                assertTrue(e.epochSeconds() > 0);
                assertNotNull(e.trainer());
            }
            assertEquals(epochs, EventJson.decode(completed.get(0).value(), RunStatusChanged.class).epoch());

            List<CheckpointCreated> checkpoints = watcher.seen(checkpoint(runId)).stream()
                    .map(r -> EventJson.decode(r.value(), CheckpointCreated.class))
                    .sorted(Comparator.comparingInt(CheckpointCreated::epoch)).collect(Collectors.toList());
            assertEquals(epochs, checkpoints.size());
            for (int i = 0; i < epochs; i++) {
                verifyCheckpoint(checkpoints.get(i), runId, i + 1, epochs);
            }
            // Consecutive epochs of a training run differ.
            assertTrue(!checkpoints.get(0).checkpoint().sha256().equals(checkpoints.get(1).checkpoint().sha256()));

            // Redelivery of a finished run: re-announced from the last manifest, not trained again.
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(request));
            watcher.await("second completed", status(runId, EventTypes.RUN_COMPLETED), 2, TIMEOUT);
            List<CheckpointCreated> again = watcher.await("re-announced checkpoint", checkpoint(runId), epochs + 1,
                    TIMEOUT).stream().map(r -> EventJson.decode(r.value(), CheckpointCreated.class))
                    .collect(Collectors.toList());
            CheckpointCreated reannounced = again.get(epochs);
            assertEquals(epochs, reannounced.epoch());
            assertEquals(checkpoints.get(epochs - 1).checkpoint(), reannounced.checkpoint());
            assertEquals(1, watcher.seen(status(runId, EventTypes.RUN_STARTED)).size(), "trained once only");
        }
        healthy();
    }

    @Test
    void aRunLongerThanTheMaxPollIntervalIsNeitherRedeliveredNorUnhealthy() {
        String runId = SlowRunEventPublisher.SLOW_PREFIX + UUID.randomUUID();
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS)) {
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(new RunRequested(runId, Instant.now(),
                    smallSpec(1))));
            RunStatusChanged started = EventJson.decode(watcher.await("started",
                    status(runId, EventTypes.RUN_STARTED), 1, TIMEOUT).get(0).value(), RunStatusChanged.class);
            healthy();
            RunStatusChanged completed = EventJson.decode(watcher.await("completed",
                    status(runId, EventTypes.RUN_COMPLETED), 1, TIMEOUT).get(0).value(), RunStatusChanged.class);
            assertTrue(Duration.between(started.at(), completed.at()).compareTo(SlowRunEventPublisher.stall()) > 0);
            // A consumer evicted for not polling would get the record again: a second start or completion.
            sleep(Duration.ofSeconds(3));
            assertEquals(1, watcher.seen(status(runId, EventTypes.RUN_STARTED)).size());
            assertEquals(1, watcher.seen(status(runId, EventTypes.RUN_COMPLETED)).size());
        }
        healthy();
    }

    @Test
    void invalidRunIsReportedFailedAndTheTrainerStaysHealthy() {
        String runId = UUID.randomUUID().toString();
        RunSpec bad = new RunSpec("bad", new DatasetSpec("no-such-dataset", 10, 10, 1L), null, null, 2, null, null,
                null, null, null, null);
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS)) {
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(new RunRequested(runId, Instant.now(), bad)));
            ConsumerRecord<String, String> failed = watcher.await("failed", status(runId, EventTypes.RUN_FAILED), 1,
                    TIMEOUT).get(0);
            RunStatusChanged event = EventJson.decode(failed.value(), RunStatusChanged.class);
            assertEquals(RunStatusChanged.FAILED, event.phase());
            assertTrue(event.reason().contains("dataset.name"), event.reason());
            assertNull(event.epoch());
            assertTrue(watcher.seen(status(runId, EventTypes.RUN_STARTED)).isEmpty());
        }
        healthy();
    }

    @Test
    void aSmallCnnOnAFewHundredFashionMnistImagesTrainsAnEpoch() {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "Debian's dataset-fashion-mnist is not installed");
        String runId = UUID.randomUUID().toString();
        RunSpec spec = new RunSpec("fmnist", new DatasetSpec(DatasetSpec.FASHION_MNIST, 300, 100, null),
                new ModelSpec(ModelSpec.SMALL_CNN, null), new TrainingSpec(TrainingMethods.PGD_AT, null), 1, 100,
                null, null, new ThreatModel(null, null, null, 2), null, 5L);
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS,
                Topics.CHECKPOINT_CREATED)) {
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(new RunRequested(runId, Instant.now(), spec)));
            watcher.await("completed", status(runId, EventTypes.RUN_COMPLETED), 1, TIMEOUT);
            RunStatusChanged epoch = watcher.seen(status(runId, EventTypes.RUN_EPOCH_COMPLETED)).stream()
                    .map(r -> EventJson.decode(r.value(), RunStatusChanged.class)).findFirst().orElseThrow();
            assertTrue(epoch.trainLoss() > 0 && Double.isFinite(epoch.trainLoss()), "loss " + epoch.trainLoss());
            CheckpointCreated checkpoint = EventJson.decode(watcher.seen(checkpoint(runId)).get(0).value(),
                    CheckpointCreated.class);
            assertEquals("small-cnn", checkpoint.architecture());
            assertEquals(spec.withDefaults(), checkpoint.spec());
        }
        healthy();
    }

    @Test
    void anImageDatasetWithoutItsFilesFailsNamingTheDataDirectory() {
        String runId = UUID.randomUUID().toString();
        RunSpec spec = new RunSpec("cifar", new DatasetSpec(DatasetSpec.CIFAR10, 100, 100, null),
                new ModelSpec(ModelSpec.RESNET18, null), null, 1, null, null, null, null, null, 5L);
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS)) {
            send(Topics.RUN_REQUESTED, runId, EventJson.encode(new RunRequested(runId, Instant.now(), spec)));
            RunStatusChanged failed = EventJson.decode(watcher.await("failed", status(runId, EventTypes.RUN_FAILED),
                    1, TIMEOUT).get(0).value(), RunStatusChanged.class);
            assertTrue(failed.reason().contains("robustlab.data-dir"), failed.reason());
        }
        healthy();
    }

    @Test
    void recordThatIsNotARunRequestGoesToTheDeadLetterTopic() {
        String key = "poison-" + UUID.randomUUID();
        try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(),
                Topics.deadLetter(Topics.RUN_REQUESTED))) {
            send(Topics.RUN_REQUESTED, key, "this is { not json");
            ConsumerRecord<String, String> dead = watcher.await("dead letter", r -> key.equals(r.key()), 1, TIMEOUT)
                    .get(0);
            assertEquals("this is { not json", dead.value());
            assertNotNull(TestKafka.header(dead, "dead-letter-reason"));
        }
        healthy();
    }

    private void verifyCheckpoint(CheckpointCreated event, String runId, int epoch, int epochs) throws Exception {
        assertEquals(runId, event.runId());
        assertEquals(epoch, event.epoch());
        assertEquals(epochs, event.epochs());
        assertEquals("mlp(hidden=16)", event.architecture());
        assertEquals(stack.s3Bucket(), event.checkpoint().bucket());
        assertEquals(CheckpointKeys.parameters(runId, epoch), event.checkpoint().objectKey());
        assertEquals(CheckpointKeys.manifest(runId, epoch), event.checkpoint().manifestKey());
        assertEquals(smallSpec(epochs), event.spec());

        byte[] parameters = read(event.checkpoint().bucket(), event.checkpoint().objectKey());
        assertEquals(event.checkpoint().sizeBytes(), parameters.length);
        assertEquals(event.checkpoint().sha256(), Sha256.hex(parameters));

        CheckpointManifest manifest = EventJson.decode(new String(read(event.checkpoint().bucket(),
                event.checkpoint().manifestKey()), StandardCharsets.UTF_8), CheckpointManifest.class);
        assertEquals(runId, manifest.runId());
        assertEquals(epoch, manifest.epoch());
        assertEquals(epochs, manifest.epochs());
        assertEquals(event.checkpoint().sha256(), manifest.sha256());
        assertEquals(parameters.length, manifest.sizeBytes());
        assertEquals("mlp(hidden=16)", manifest.architecture());
        assertEquals(smallSpec(epochs), manifest.spec());
        assertEquals(event.createdAt(), manifest.createdAt());
    }

    private static byte[] read(String bucket, String key) throws Exception {
        try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static void healthy() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Predicate<ConsumerRecord<String, String>> status(String runId, String type) {
        return r -> r.topic().equals(Topics.RUN_STATUS) && runId.equals(r.key())
                && (type == null || type.equals(TestKafka.header(r, "ce_type")));
    }

    private static Predicate<ConsumerRecord<String, String>> checkpoint(String runId) {
        return r -> r.topic().equals(Topics.CHECKPOINT_CREATED) && runId.equals(r.key());
    }
}
