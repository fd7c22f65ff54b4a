package dev.robustlab.gateway.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.RunStatusChanged;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.RunSpec;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunProgressTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final RunSpec SPEC = new RunSpec("n", new DatasetSpec("toy-circles", null, null, null), null,
            null, 5, null, null, null, null, null, null).withDefaults();
    private static final RunRecord REQUESTED = RunRecord.requested("r1", SPEC, T0);

    private static RunStatusChanged event(String phase, Integer epoch, int second) {
        return new RunStatusChanged("r1", phase, epoch, 5, epoch == null ? null : 1.0 / epoch,
                epoch == null ? null : 0.1 * epoch, 2.0, phase.equals("failed") ? "out of memory" : null, "t1",
                T0.plusSeconds(second));
    }

    private static RunRecord apply(RunRecord run, RunStatusChanged e) {
        return RunProgress.apply(run, e).orElseThrow();
    }

    @Test
    void aRunMovesForwardThroughItsPhases() {
        RunRecord started = apply(REQUESTED, event("started", null, 1));
        assertEquals("started", started.status());
        assertEquals("t1", started.trainer());
        assertEquals(T0.plusSeconds(1), started.startedAt());
        RunRecord e1 = apply(started, event("epoch-completed", 1, 2));
        assertEquals("training", e1.status());
        assertEquals(1, e1.epoch());
        assertEquals(1.0, e1.trainLoss());
        RunRecord e2 = apply(e1, event("epoch-completed", 2, 3));
        assertEquals(2, e2.epoch());
        assertEquals(0.2, e2.trainAccuracy(), 1e-12);
        RunRecord done = apply(e2, event("completed", 5, 4));
        assertEquals("completed", done.status());
        assertEquals(5, done.epoch());
        assertEquals(T0.plusSeconds(4), done.finishedAt());
        assertEquals(T0.plusSeconds(1), done.startedAt());
    }

    @Test
    void redeliveredAndOlderEpochsChangeNothing() {
        RunRecord e3 = apply(REQUESTED, event("epoch-completed", 3, 3));
        assertEquals(Optional.empty(), RunProgress.apply(e3, event("epoch-completed", 3, 3)));
        assertEquals(Optional.empty(), RunProgress.apply(e3, event("epoch-completed", 2, 2)));
        assertEquals(Optional.empty(), RunProgress.apply(e3, event("started", null, 1)));
    }

    @Test
    void nothingLeavesATerminalStatus() {
        RunRecord failed = apply(REQUESTED, event("failed", null, 1));
        assertEquals("failed", failed.status());
        assertEquals("out of memory", failed.failureReason());
        assertTrue(RunProgress.apply(failed, event("epoch-completed", 1, 2)).isEmpty());
        assertTrue(RunProgress.apply(failed, event("completed", 5, 3)).isEmpty());
        RunRecord completed = apply(REQUESTED, event("completed", 5, 1));
        assertTrue(RunProgress.apply(completed, event("failed", null, 2)).isEmpty());
    }

    @Test
    void anUnknownPhaseChangesNothing() {
        assertTrue(RunProgress.apply(REQUESTED, event("paused", null, 1)).isEmpty());
    }
}
