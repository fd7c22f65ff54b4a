package dev.robustlab.attack.evaluation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobProgressTest {
    private static final Duration LIMIT = Duration.ofMinutes(60);

    /** The time the tests' clock says; they move it by hand. */
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void idleWorkerIsAliveForever() {
        JobProgress progress = new JobProgress(() -> now);
        now = now.plus(Duration.ofDays(10));
        assertNull(progress.stallProblem(LIMIT));
    }

    @Test
    void aJobWithinTheLimitIsAliveAndOneBeyondItIsReported() {
        JobProgress progress = new JobProgress(() -> now);
        progress.begin("run/1/pgd-20/0");
        now = now.plus(Duration.ofMinutes(59));
        assertNull(progress.stallProblem(LIMIT));
        now = now.plus(Duration.ofMinutes(2));
        String problem = progress.stallProblem(LIMIT);
        assertNotNull(problem);
        assertTrue(problem.contains("run/1/pgd-20/0"), problem);
        progress.progressed();
        assertNull(progress.stallProblem(LIMIT));
        progress.end();
        assertNull(progress.stallProblem(Duration.ZERO));
    }
}
