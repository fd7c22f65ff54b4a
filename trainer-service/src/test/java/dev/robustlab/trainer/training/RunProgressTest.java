package dev.robustlab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunProgressTest {
    private static final Duration LIMIT = Duration.ofMinutes(30);

    /** The time the tests' clock says; they move it by hand. */
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void idleTrainerIsAlive() {
        RunProgress progress = new RunProgress(() -> now);
        now = now.plus(Duration.ofDays(3));
        assertNull(progress.stallProblem(LIMIT));
    }

    @Test
    void aLongRunThatKeepsFinishingEpochsIsAlive() {
        RunProgress progress = new RunProgress(() -> now);
        progress.begin("r", 100);
        for (int epoch = 1; epoch <= 10; epoch++) {
            now = now.plus(Duration.ofMinutes(29));
            assertNull(progress.stallProblem(LIMIT));
            progress.epochDone(epoch);
        }
    }

    @Test
    void aRunWithoutProgressBeyondTheLimitIsReported() {
        RunProgress progress = new RunProgress(() -> now);
        progress.begin("r-7", 10);
        progress.epochDone(3);
        now = now.plus(LIMIT.plusSeconds(1));
        String problem = progress.stallProblem(LIMIT);
        assertNotNull(problem);
        assertTrue(problem.contains("r-7") && problem.contains("3 of 10"), problem);
        progress.end();
        assertNull(progress.stallProblem(LIMIT));
    }
}
