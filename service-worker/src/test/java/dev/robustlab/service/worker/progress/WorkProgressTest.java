package dev.robustlab.service.worker.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class WorkProgressTest {
    private static final Duration LIMIT = Duration.ofMinutes(30);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now = START;

    /** Counts steps; a stall names the work and its step. */
    static final class Steps extends WorkProgress<Integer> {
        Steps(InstantSource clock) {
            super(clock);
        }

        void begin() {
            start(0);
        }

        void step() {
            progressed(n -> n + 1);
        }

        @Override
        protected String describeStall(Current<Integer> stalled, Duration quiet, Duration stallTimeout) {
            return "step " + stalled.work() + " quiet " + quiet.toMinutes() + " min, limit "
                    + stallTimeout.toMinutes() + " min";
        }
    }

    @Test
    void idleIsNeverStuck() {
        Steps progress = new Steps(() -> now);
        now = now.plus(Duration.ofDays(3));
        assertNull(progress.stallProblem(LIMIT));
        assertTrue(progress.current().isEmpty());
    }

    @Test
    void progressWithinTheLimitKeepsWorkAlive() {
        Steps progress = new Steps(() -> now);
        progress.begin();
        for (int i = 0; i < 10; i++) {
            now = now.plus(LIMIT);
            assertNull(progress.stallProblem(LIMIT));
            progress.step();
        }
        assertEquals(10, progress.current().orElseThrow().work());
        assertEquals(START, progress.current().orElseThrow().startedAt());
        assertEquals(now, progress.current().orElseThrow().lastProgressAt());
    }

    @Test
    void workQuietBeyondTheLimitIsDescribedUntilItEnds() {
        Steps progress = new Steps(() -> now);
        progress.begin();
        progress.step();
        now = now.plus(LIMIT.plusMinutes(1));
        assertEquals("step 1 quiet 31 min, limit 30 min", progress.stallProblem(LIMIT));
        progress.end();
        assertNull(progress.stallProblem(Duration.ZERO));
    }

    @Test
    void progressWhileIdleIsIgnored() {
        Steps progress = new Steps(() -> now);
        progress.step();
        assertTrue(progress.current().isEmpty());
    }
}
