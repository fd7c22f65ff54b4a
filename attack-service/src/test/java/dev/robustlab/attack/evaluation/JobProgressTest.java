package dev.robustlab.attack.evaluation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JobProgressTest {
    private static final Duration LIMIT = Duration.ofMinutes(60);

    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void idleWorkerIsAliveForever() {
        ManualClock clock = new ManualClock();
        JobProgress progress = new JobProgress(clock);
        clock.now = clock.now.plus(Duration.ofDays(10));
        assertNull(progress.stallProblem(LIMIT));
    }

    @Test
    void aJobWithinTheLimitIsAliveAndOneBeyondItIsReported() {
        ManualClock clock = new ManualClock();
        JobProgress progress = new JobProgress(clock);
        progress.begin("run/1/pgd-20/0");
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertNull(progress.stallProblem(LIMIT));
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        String problem = progress.stallProblem(LIMIT);
        assertNotNull(problem);
        assertTrue(problem.contains("run/1/pgd-20/0"), problem);
        progress.progressed();
        assertNull(progress.stallProblem(LIMIT));
        progress.end();
        assertNull(progress.stallProblem(Duration.ZERO));
    }
}
