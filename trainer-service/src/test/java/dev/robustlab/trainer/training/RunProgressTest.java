package dev.robustlab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RunProgressTest {
    private static final Duration LIMIT = Duration.ofMinutes(30);

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void idleTrainerIsAlive() {
        ManualClock clock = new ManualClock();
        RunProgress progress = new RunProgress(clock);
        clock.advance(Duration.ofDays(3));
        assertNull(progress.stallProblem(LIMIT));
    }

    @Test
    void aLongRunThatKeepsFinishingEpochsIsAlive() {
        ManualClock clock = new ManualClock();
        RunProgress progress = new RunProgress(clock);
        progress.begin("r", 100);
        for (int epoch = 1; epoch <= 10; epoch++) {
            clock.advance(Duration.ofMinutes(29));
            assertNull(progress.stallProblem(LIMIT));
            progress.epochDone(epoch);
        }
    }

    @Test
    void aRunWithoutProgressBeyondTheLimitIsReported() {
        ManualClock clock = new ManualClock();
        RunProgress progress = new RunProgress(clock);
        progress.begin("r-7", 10);
        progress.epochDone(3);
        clock.advance(LIMIT.plusSeconds(1));
        String problem = progress.stallProblem(LIMIT);
        assertNotNull(problem);
        assertTrue(problem.contains("r-7") && problem.contains("3 of 10"), problem);
        progress.end();
        assertNull(progress.stallProblem(LIMIT));
    }
}
