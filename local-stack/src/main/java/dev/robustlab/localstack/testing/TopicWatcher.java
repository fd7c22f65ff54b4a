package dev.robustlab.localstack.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from their beginning with a plain consumer of its own group, and waits for matching records. Not
 * thread-safe: one test thread uses it, then closes it.
 *
 * <pre>{@code
 * try (TopicWatcher watcher = new TopicWatcher(stack.kafkaBootstrapServers(), Topics.RUN_STATUS)) {
 *     ... send a request ...
 *     watcher.await("completed", r -> runId.equals(r.key()), 1, Duration.ofSeconds(90));
 * }
 * }</pre>
 */
public final class TopicWatcher implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicWatcher(String bootstrapServers, String... topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topics));
    }

    /**
     * Waits until at least {@code count} records seen so far match, and returns all matching ones; fails the test
     * (an {@link AssertionError} listing every record seen) when {@code timeout} passes first.
     */
    public List<ConsumerRecord<String, String>> await(String what, Predicate<ConsumerRecord<String, String>> match,
                                                      int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, String>> matching = seen.stream().filter(match).collect(Collectors.toList());
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + count + " × " + what + ", got "
                        + matching.size() + "; records seen: " + seen.stream().map(r -> r.topic() + " "
                        + TestKafka.header(r, "ce_type") + " " + r.value())
                        .collect(Collectors.joining("\n  ", "\n  ", "")));
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    /** Everything seen so far that matches. */
    public List<ConsumerRecord<String, String>> seen(Predicate<ConsumerRecord<String, String>> match) {
        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
        return seen.stream().filter(match).collect(Collectors.toList());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
