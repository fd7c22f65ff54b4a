package dev.robustlab.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.Topics;
import dev.robustlab.localstack.LocalStack.Component;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The whole stack against real clients: Kafka round trip, topics, S3 object, SQL, and a clean shutdown. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackTest {

    private Path stateDir;
    private LocalStack stack;

    @BeforeAll
    void startStack() throws Exception {
        Path base = Path.of(System.getProperty("robustlab.test.state", "target/robustlab-test-state"));
        stateDir = base.resolve("local-stack-test-" + System.currentTimeMillis());
        stack = LocalStack.start(stateDir, EnumSet.allOf(Component.class));
        System.err.println("start-up times: " + stack.startupTimes());
    }

    @AfterAll
    void closeStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void createsEveryTopicAndItsDeadLetterTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers()))) {
            List<String> expected = new ArrayList<>();
            for (String topic : Topics.ALL) {
                expected.add(topic);
                expected.add(Topics.deadLetter(topic));
            }
            Map<String, TopicDescription> described = admin.describeTopics(expected).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            for (String topic : expected) {
                boolean attackJobs = topic.startsWith(Topics.ATTACK_REQUESTED);
                assertEquals(attackJobs ? Topics.ATTACK_REQUESTED_PARTITIONS : 3,
                        described.get(topic).partitions().size(), topic);
            }
        }
    }

    @Test
    @Order(2)
    void carriesARecordThroughTheBrokerToAConsumerGroup() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(Topics.RUN_REQUESTED, key, "{\"hello\":\"broker\"}")).get(30,
                    TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot produce", e);
        }

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(Topics.RUN_REQUESTED));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(key)) {
                        assertEquals("{\"hello\":\"broker\"}", record.value());
                        consumer.commitSync();
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the record did not come back within 30 s");
    }

    @Test
    @Order(3)
    void storesAndReturnsAnObjectInTheBucket() throws Exception {
        byte[] content = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);
        try (MinioClient client = MinioClient.builder().endpoint(stack.s3Endpoint())
                .region(stack.quarkusConfig().get(LocalStack.S3_REGION))
                .credentials(stack.s3AccessKey(), stack.s3SecretKey()).build()) {
            client.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object("runs/r1/epoch-1.params")
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
            try (GetObjectResponse object = client.getObject(GetObjectArgs.builder().bucket(stack.s3Bucket())
                    .object("runs/r1/epoch-1.params").build())) {
                assertEquals("checkpoint bytes", new String(object.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals("robustlab-checkpoints", stack.s3Bucket());
    }

    @Test
    @Order(4)
    void answersSqlAsTheRobustlabUser() throws Exception {
        try (Connection connection = connect(stack);
             Statement sql = connection.createStatement()) {
            try (ResultSet row = sql.executeQuery("SELECT current_database(), current_user, 6 * 7")) {
                assertTrue(row.next());
                assertEquals("robustlab", row.getString(1));
                assertEquals("robustlab", row.getString(2));
                assertEquals(42, row.getInt(3));
            }
            sql.execute("CREATE SCHEMA survivor");
            sql.execute("CREATE TABLE survivor.kept (id int)");
            sql.execute("INSERT INTO survivor.kept VALUES (7)");
        }
    }

    @Test
    @Order(5)
    void pointsServicesAtTheStack() {
        Map<String, String> env = stack.serviceEnvironment();
        assertEquals(stack.kafkaBootstrapServers(), env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals(stack.s3Endpoint(), env.get("ROBUSTLAB_S3_ENDPOINT"));
        assertEquals(stack.s3AccessKey(), env.get("ROBUSTLAB_S3_ACCESS_KEY"));
        assertEquals(stack.s3SecretKey(), env.get("ROBUSTLAB_S3_SECRET_KEY"));
        assertEquals("robustlab-checkpoints", env.get("ROBUSTLAB_S3_BUCKET"));
        assertEquals("us-east-1", env.get("ROBUSTLAB_S3_REGION"));
        assertEquals(stack.jdbcUrl(), env.get("ROBUSTLAB_DB_URL"));
        assertEquals(stack.dbUser(), env.get("ROBUSTLAB_DB_USER"));
        assertEquals(stack.dbPassword(), env.get("ROBUSTLAB_DB_PASSWORD"));
        assertEquals(9, env.size());
        assertEquals(Set.of("kafka.bootstrap.servers", "robustlab.s3.endpoint", "robustlab.s3.access-key",
                "robustlab.s3.secret-key", "robustlab.s3.bucket", "robustlab.s3.region", "robustlab.db.url",
                "robustlab.db.user", "robustlab.db.password"), stack.quarkusConfig().keySet());
        for (String value : stack.quarkusConfig().values()) {
            assertFalse(value.contains("localhost") || value.contains("0.0.0.0"), value);
        }
        assertTrue(stack.kafkaBootstrapServers().startsWith("127.0.0.1:"));
        assertTrue(Files.isRegularFile(stateDir.resolve("logs").resolve("kafka.log")));
        assertTrue(Files.isRegularFile(stateDir.resolve("logs").resolve("s3proxy.log")));
        assertTrue(Files.isRegularFile(stateDir.resolve("logs").resolve("postgres.log")));
    }

    @Test
    @Order(6)
    void closeLeavesNoProcessBehindAndPostgresKeepsItsData() throws Exception {
        // kafka, s3proxy and the postmaster, each with a guardian; postgres workers on top. A backend of a client that
        // just disconnected may still be in the list while it exits, so only the live ones are kept.
        List<ProcessHandle> processes = stack.processHandles().stream().filter(ProcessHandle::isAlive).toList();
        assertTrue(processes.size() >= 6, () -> "live processes: " + describe(processes));

        stack.close();
        stack.close(); // a second close does nothing

        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        assertTrue(alive.isEmpty(), () -> "still alive after close(): " + describe(alive));

        // A second start on the same state reuses the initialised PostgreSQL cluster.
        try (LocalStack again = LocalStack.start(stateDir, EnumSet.of(Component.POSTGRES)).withoutShutdownHook()) {
            assertEquals(Set.of(Component.POSTGRES), again.components());
            try (Connection connection = connect(again);
                 Statement sql = connection.createStatement();
                 ResultSet row = sql.executeQuery("SELECT id FROM survivor.kept")) {
                assertTrue(row.next());
                assertEquals(7, row.getInt(1));
            }
            System.err.println("postgres restart on existing data: " + again.startupTimes());
        }
    }

    private static Connection connect(LocalStack stack) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", stack.dbUser());
        credentials.setProperty("password", stack.dbPassword());
        return DriverManager.getConnection(stack.jdbcUrl(), credentials);
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.pid() + " " + p.info().command().orElse("?"))
                .collect(Collectors.joining(", "));
    }
}
