package dev.robustlab.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.eval.merging.AttackAccuracy;
import dev.robustlab.eval.metrics.ProgressRows.CompletedAttack;
import dev.robustlab.eval.metrics.ProgressRows.MeasuredAttack;
import dev.robustlab.eval.metrics.ProgressRows.PlannedAttack;
import dev.robustlab.eval.metrics.ProgressRows.PlannedEpoch;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
    private static final List<String> BOTH = List.of("pgd-20", "cw-inf");

    @Test
    void rowsFromPlansResultsAndCompletedAttacks() {
        List<EpochProgress> progress = ProgressRows.assemble(
                List.of(new PlannedEpoch(2, BOTH), new PlannedEpoch(1, BOTH)),
                List.of(new PlannedAttack(1, "pgd-20", 4), new PlannedAttack(1, "cw-inf", 4),
                        new PlannedAttack(2, "pgd-20", 4), new PlannedAttack(2, "cw-inf", 4)),
                List.of(new MeasuredAttack(1, "pgd-20", 4, 4), new MeasuredAttack(1, "cw-inf", 4, 4),
                        new MeasuredAttack(2, "pgd-20", 3, 4)),
                List.of(new CompletedAttack(1, "pgd-20", AttackAccuracy.of(1000, 840, 400)),
                        new CompletedAttack(1, "cw-inf", AttackAccuracy.of(1000, 840, 380))));
        RunMetrics metrics = RunMetrics.of(progress);
        assertEquals(BOTH, metrics.attacks());
        EpochMetrics one = metrics.epochs().get(0);
        assertEquals(1, one.epoch());
        assertEquals(0.84, one.clean(), 1e-12);
        assertEquals(0.40, one.robust().get("pgd-20"), 1e-12);
        assertEquals(0.38, one.robust().get("cw-inf"), 1e-12);
        assertTrue(one.complete());
        assertEquals(8, one.done());
        assertEquals(8, one.expected());
        EpochMetrics two = metrics.epochs().get(1);
        assertFalse(two.complete());
        assertNull(two.clean());
        assertNull(two.robust().get("pgd-20"));
        assertEquals(3, two.done());
        assertEquals(8, two.expected());
        BestFinal bf = metrics.bestFinal().orElseThrow();
        assertEquals(1, bf.best().epoch());
        assertEquals(1, bf.last().epoch());
    }

    @Test
    void anUnplannedEpochTakesAttacksAndShardCountsFromItsResults() {
        List<EpochProgress> progress = ProgressRows.assemble(List.of(), List.of(),
                List.of(new MeasuredAttack(7, "cw-inf", 1, 2), new MeasuredAttack(7, "pgd-20", 2, 2)),
                List.of(new CompletedAttack(7, "pgd-20", AttackAccuracy.of(10, 9, 5))));
        EpochProgress p = progress.get(0);
        assertEquals(BOTH, p.attacks());
        assertEquals(4, p.expectedShards());
        assertEquals(3, p.doneShards());
        EpochMetrics row = RunMetrics.of(progress).epochs().get(0);
        assertEquals(0.9, row.clean(), 1e-12);
        assertFalse(row.complete());
    }

    @Test
    void cleanComesFromAnyCompleteAttack() {
        EpochProgress p = new EpochProgress(1, BOTH, 2, 1, java.util.Map.of("cw-inf", AttackAccuracy.of(4, 3, 1)));
        assertEquals(0.75, RunMetrics.of(List.of(p)).epochs().get(0).clean(), 1e-12);
    }
}
