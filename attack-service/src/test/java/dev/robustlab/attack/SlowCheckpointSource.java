package dev.robustlab.attack;

import dev.robustlab.attack.storage.S3CheckpointSource;
import io.quarkus.test.Mock;
import java.io.InputStream;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The S3 source of the service, except that objects under a {@code /slow/} key take longer than the consumer's
 * {@code max.poll.interval.ms} to open: a job that certainly outlasts the poll interval, whatever the speed of the
 * machine.
 */
@Mock
public class SlowCheckpointSource extends S3CheckpointSource {
    public static final String SLOW_MARKER = "/slow/";

    static Duration stall() {
        long maxPollIntervalMs = ConfigProvider.getConfig().getValue(
                "mp.messaging.incoming.attack-requested.max.poll.interval.ms", Long.class);
        return Duration.ofMillis(maxPollIntervalMs + 2000);
    }

    @Override
    public InputStream open(String bucket, String key) {
        if (key.contains(SLOW_MARKER)) {
            try {
                Thread.sleep(stall().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return super.open(bucket, key);
    }
}
