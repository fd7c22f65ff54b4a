package dev.robustlab.localstack;

import dev.robustlab.contracts.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Kafka 4 broker in KRaft mode (broker and controller in one JVM), as a child JVM running the jars
 * of {@code local-stack-dist}. Its data lives in {@code kafka/data}; an already formatted directory is reused.
 * Once it answers an AdminClient it is provisioned with every topic of {@link Topics#ALL} and their dead-letter
 * topics.
 */
final class KafkaBroker implements Service {

    static final int DEFAULT_PARTITIONS = 3;
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ManagedProcess process;
    private final String bootstrapServers;

    private KafkaBroker(ManagedProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static KafkaBroker start(Distribution distribution, Path kafkaDir, Path logsDir, int port, int controllerPort) {
        String classpath = distribution.kafkaClasspath();
        Path dataDir = StateFiles.createDirectories(kafkaDir.resolve("data"));
        Path serverProperties = kafkaDir.resolve("server.properties");
        Path log4jProperties = kafkaDir.resolve("log4j2.properties");
        StateFiles.write(serverProperties, serverProperties(dataDir, port, controllerPort));
        StateFiles.write(log4jProperties, LOG4J_PROPERTIES);
        String java = LocalStack.javaExecutable();
        String whatToDo = "read the log above; if the log directory is locked, another broker still runs on "
                + dataDir + " (stop it, or use another state directory); delete " + kafkaDir
                + " to start from an empty broker; if classes are missing, rebuild the jars with "
                + "./mvnw -pl local-stack-dist package";

        List<String> launch = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m",
                // C1 only and the serial collector: a quicker start and less CPU on a small machine, plenty for
                // the trickle of events a local cluster carries.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4jProperties, "-cp"));
        boolean format = !Files.exists(dataDir.resolve("meta.properties"));
        String clusterId = Uuid.randomUuid().toString();
        Path launcherDir = installLauncher(kafkaDir.resolve("launcher"));
        if (launcherDir != null) {
            launch.add(classpath + File.pathSeparator + launcherDir);
            launch.add(KafkaLauncher.class.getName());
            if (format) {
                launch.addAll(List.of("--format", clusterId));
            }
        } else {
            if (format) {
                ManagedProcess.run("kafka storage format",
                        List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                                "-Dlog4j2.configurationFile=" + log4jProperties, "-cp", classpath,
                                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties.toString()),
                        logsDir.resolve("kafka-format.log"), Map.of(), FORMAT_TIMEOUT, whatToDo);
            }
            launch.add(classpath);
            launch.add("kafka.Kafka");
        }
        launch.add(serverProperties.toString());
        ManagedProcess broker = ManagedProcess.start("kafka", launch, logsDir.resolve("kafka.log"), Map.of(), "TERM");
        KafkaBroker kafka = new KafkaBroker(broker, FreePorts.LOOPBACK + ":" + port);
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            broker.awaitListening(port, deadline, whatToDo);
            kafka.provision(deadline, whatToDo);
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** The launcher's class directory, or null (then formatting takes a JVM of its own) if it cannot be written. */
    private static Path installLauncher(Path dir) {
        try {
            return KafkaLauncher.installInto(dir);
        } catch (IOException | RuntimeException e) {
            LocalStack.log("kafka: formatting in a separate JVM (%s)", e.getMessage());
            return null;
        }
    }

    /** Waits until the broker lists topics, then creates the missing ones. */
    private void provision(long deadlineNanos, String whatToDo) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "robustlab-local-stack");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(config)) {
            awaitTopicListing(admin, deadlineNanos, whatToDo);
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : Topics.ALL) {
                int partitions = partitionsOf(topic);
                topics.add(new NewTopic(topic, partitions, (short) 1));
                topics.add(new NewTopic(Topics.deadLetter(topic), partitions, (short) 1));
            }
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw process.failure("cannot create topic " + created.getKey() + ": " + e.getCause(),
                                whatToDo);
                    }
                } catch (TimeoutException e) {
                    throw process.failure("topic " + created.getKey() + " not created in time", whatToDo);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while provisioning the Kafka broker", e);
        }
    }

    /** The partitions a topic and its dead-letter topic get: attack jobs spread over many workers. */
    static int partitionsOf(String topic) {
        return topic.equals(Topics.ATTACK_REQUESTED) ? Topics.ATTACK_REQUESTED_PARTITIONS : DEFAULT_PARTITIONS;
    }

    private void awaitTopicListing(Admin admin, long deadlineNanos, String whatToDo) throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw process.failure("exited while starting", whatToDo);
            }
            try {
                admin.listTopics().names().get(Math.min(5000, remainingMillis(deadlineNanos)), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException notYet) {
                if (System.nanoTime() > deadlineNanos) {
                    throw process.failure("did not answer an AdminClient within " + READY_TIMEOUT.toSeconds()
                            + " s (" + notYet + ")", whatToDo);
                }
                ManagedProcess.pause(Duration.ofMillis(200));
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public LocalStack.Component component() {
        return LocalStack.Component.KAFKA;
    }

    @Override
    public String address() {
        return bootstrapServers;
    }

    @Override
    public Map<String, String> config() {
        return Map.of(LocalStack.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    }

    @Override
    public List<ProcessHandle> processHandles() {
        return process.handles();
    }

    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }

    private static String serverProperties(Path dataDir, int port, int controllerPort) {
        String loopback = FreePorts.LOOPBACK;
        return String.join("\n",
                "# Written by dev.robustlab.localstack.KafkaBroker on every start.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + loopback + ":" + controllerPort,
                "listeners=PLAINTEXT://" + loopback + ":" + port + ",CONTROLLER://" + loopback + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + loopback + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                "num.partitions=" + DEFAULT_PARTITIONS,
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                // Fewer coordinator partitions than the default 50: the first consumer group joins sooner.
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // A laptop-sized broker: the defaults are sized for dedicated machines.
                "num.network.threads=2",
                "num.io.threads=4",
                "");
    }

    private static final String LOG4J_PROPERTIES = String.join("\n",
            "# Written by dev.robustlab.localstack.KafkaBroker: INFO to stdout, which goes to logs/kafka.log.",
            "status = warn",
            "appender.stdout.type = Console",
            "appender.stdout.name = STDOUT",
            "appender.stdout.layout.type = PatternLayout",
            "appender.stdout.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "logger.state.name = state.change.logger",
            "logger.state.level = WARN",
            "logger.request.name = kafka.request.logger",
            "logger.request.level = WARN",
            "");
}
