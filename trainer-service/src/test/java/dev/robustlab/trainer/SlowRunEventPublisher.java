package dev.robustlab.trainer;

import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.trainer.messaging.RunEventPublisher;
import io.quarkus.test.Mock;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The event publisher of the service, except that runs whose id starts with {@code slow-} take longer than the
 * consumer's {@code max.poll.interval.ms} to announce a checkpoint: a run that certainly outlasts the poll
 * interval, whatever the speed of the machine.
 */
@Mock
public class SlowRunEventPublisher extends RunEventPublisher {
    public static final String SLOW_PREFIX = "slow-";

    static Duration stall() {
        long maxPollIntervalMs = ConfigProvider.getConfig().getValue(
                "mp.messaging.incoming.run-requested.max.poll.interval.ms", Long.class);
        return Duration.ofMillis(maxPollIntervalMs + 2000);
    }

    @Override
    public void checkpointCreated(CheckpointCreated event) {
        if (event.runId().startsWith(SLOW_PREFIX)) {
            try {
                Thread.sleep(stall().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.checkpointCreated(event);
    }
}
