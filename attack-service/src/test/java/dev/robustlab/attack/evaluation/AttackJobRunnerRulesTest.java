package dev.robustlab.attack.evaluation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.evaluation.ShardResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttackJobRunnerRulesTest {
    private static final CheckpointRef REF = new CheckpointRef("b", "k", "m", "0".repeat(64), 10);

    private static AttackRequested job(CheckpointRef ref, int offset, int count) {
        return new AttackRequested(AttackRequested.jobId("r", 1, "pgd-20", 0), "r", 1, "pgd-20", "linf", 0.1,
                0.025, new DatasetSpec("toy-circles", 100, 100, 1L), new ModelSpec("mlp", 16), 0, 1, offset, count,
                5L, ref);
    }

    @Test
    void aCompleteJobPasses() {
        assertDoesNotThrow(() -> AttackJobRunner.requireComplete(job(REF, 0, 4)));
    }

    @Test
    void jobsWithoutCheckpointOrWithAnEmptyShardAreRejected() {
        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> AttackJobRunner.requireComplete(job(null, 0, 4)));
        assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
        assertThrows(JobRejectedException.class, () -> AttackJobRunner.requireComplete(job(REF, 0, 0)));
        assertThrows(JobRejectedException.class, () -> AttackJobRunner.requireComplete(job(REF, -1, 4)));
    }

    @Test
    void consistentResultsPassAndFlagsBecomeAList() {
        ShardResult result = new ShardResult(4, 3, 2, new boolean[] {true, false, true, false});
        assertDoesNotThrow(() -> AttackJobRunner.requireConsistent(job(REF, 0, 4), result));
        assertEquals(List.of(true, false, true, false), AttackJobRunner.flags(result.robustFlags()));
    }

    @Test
    void resultsThatContradictThemselvesAreRefused() {
        AttackRequested job = job(REF, 0, 4);
        assertThrows(IllegalStateException.class, () -> AttackJobRunner.requireConsistent(job,
                new ShardResult(4, 3, 2, new boolean[] {true, true, true, false})));
        assertThrows(IllegalStateException.class, () -> AttackJobRunner.requireConsistent(job,
                new ShardResult(4, 1, 2, new boolean[] {true, true, false, false})));
        assertThrows(IllegalStateException.class, () -> AttackJobRunner.requireConsistent(job,
                new ShardResult(3, 3, 1, new boolean[] {true, false, false})));
    }
}
