package dev.robustlab.eval.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttackPlannerTest {
    private static final CheckpointRef REF = new CheckpointRef("b", "k.params", "k.json", "0".repeat(64), 10);

    private static CheckpointCreated checkpoint(int epoch, int epochs, EvaluationPlan plan) {
        RunSpec spec = new RunSpec("t", new DatasetSpec("toy-circles", 100, 1000, null), null, null, epochs, null,
                null, null, new ThreatModel(null, 0.2, null, null), plan, 7L).withDefaults();
        return new CheckpointCreated("run-1", epoch, epochs, "mlp(hidden=64)", REF, spec, Instant.EPOCH);
    }

    @Test
    void onePerAttackAndShardWithAShorterLastShard() {
        // 1000 examples in shards of 300: [0,300) [300,600) [600,900) [900,1000)
        List<AttackRequested> jobs = AttackPlanner.plan(checkpoint(2, 5,
                new EvaluationPlan(List.of("pgd-20", "cw-inf"), null, null, 1000, 300, 0.01)));
        assertEquals(8, jobs.size());
        assertEquals(List.of(0, 300, 600, 900, 0, 300, 600, 900), jobs.stream().map(AttackRequested::offset).toList());
        assertEquals(List.of(300, 300, 300, 100, 300, 300, 300, 100),
                jobs.stream().map(AttackRequested::count).toList());
        assertEquals(List.of("run-1/2/pgd-20/0", "run-1/2/pgd-20/1", "run-1/2/pgd-20/2", "run-1/2/pgd-20/3",
                "run-1/2/cw-inf/0", "run-1/2/cw-inf/1", "run-1/2/cw-inf/2", "run-1/2/cw-inf/3"),
                jobs.stream().map(AttackRequested::jobId).toList());
        AttackRequested first = jobs.get(0);
        assertEquals(4, first.shardCount());
        assertEquals("linf", first.norm());
        assertEquals(0.2, first.epsilon());
        assertEquals(0.01, first.stepSize());
        assertEquals(2, first.epoch());
        assertEquals(REF, first.checkpoint());
        assertEquals("toy-circles", first.dataset().name());
        assertEquals(64, first.model().hiddenUnits());
    }

    @Test
    void defaultStepSizeIsAQuarterOfEpsilon() {
        List<AttackRequested> jobs = AttackPlanner.plan(checkpoint(1, 1,
                new EvaluationPlan(List.of("pgd-20"), null, null, 10, 10, null)));
        assertEquals(1, jobs.size());
        assertEquals(0.05, jobs.get(0).stepSize(), 1e-12);
        assertEquals(10, jobs.get(0).count());
    }

    @Test
    void uncoveredEpochsPlanNothing() {
        EvaluationPlan every2 = new EvaluationPlan(List.of("pgd-20"), null, 2, 100, 50, null);
        assertEquals(List.of(), AttackPlanner.plan(checkpoint(3, 5, every2)));
        assertEquals(2, AttackPlanner.plan(checkpoint(4, 5, every2)).size());
        assertEquals(2, AttackPlanner.plan(checkpoint(5, 5, every2)).size(), "the last epoch is always evaluated");
    }

    @Test
    void seedsAreDeterministicAndDistinct() {
        EvaluationPlan plan = new EvaluationPlan(List.of("pgd-20", "cw-inf"), null, null, 1000, 100, null);
        List<AttackRequested> a = AttackPlanner.plan(checkpoint(3, 5, plan));
        List<AttackRequested> b = AttackPlanner.plan(checkpoint(3, 5, plan));
        assertEquals(a, b);
        Set<Long> seeds = new HashSet<>();
        a.forEach(j -> seeds.add(j.seed()));
        a.forEach(j -> assertTrue(j.seed() >= 0));
        assertEquals(20, seeds.size());
        AttackRequested j = a.get(13);
        assertEquals(ShardSeeds.seed(7L, 3, j.attack(), j.shardIndex()), j.seed());
    }
}
