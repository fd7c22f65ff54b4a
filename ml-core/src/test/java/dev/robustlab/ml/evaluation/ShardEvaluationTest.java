package dev.robustlab.ml.evaluation;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.ToyCircles;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardEvaluationTest {
    // trained at ε = 0.05, attacked at ε = 0.1: accurate, and breakable
    private static final RunSpec SPEC = TestSpecs.toy(TrainingSpec.PGD_AT, false, 1000, 4, 64, 0.1, 0.05, 3, 32, 11L);
    private static byte[] checkpoint;

    @BeforeAll
    static void train() {
        try (TrainingRun run = TrainingRun.start(SPEC)) {
            for (int e = 0; e < SPEC.epochs(); e++) {
                run.trainEpoch();
            }
            checkpoint = run.checkpoint();
        }
    }

    @Test
    void flagsAreConsistentAndDeterministic() {
        for (String attack : new String[] {"pgd-20", "cw-inf"}) {
            ShardResult first = run(attack, 100, 150, 7L);
            ShardResult again = run(attack, 100, 150, 7L);
            assertEquals(150, first.examples());
            assertEquals(150, first.robustFlags().length);
            assertArrayEquals(first.robustFlags(), again.robustFlags(), "same seed, same flags");
            int flagged = 0;
            for (boolean flag : first.robustFlags()) {
                flagged += flag ? 1 : 0;
            }
            assertEquals(first.robust(), flagged);
            assertTrue(first.robust() <= first.correctClean());
            assertTrue(first.correctClean() > 100, attack + ": the model learnt something: " + first);
            assertTrue(first.robust() < first.correctClean(), attack + ": the attack breaks some examples: " + first);
        }
    }

    @Test
    void cleanCorrectnessDoesNotDependOnTheAttack() {
        assertEquals(run("pgd-20", 0, 200, 1L).correctClean(), run("cw-inf", 0, 200, 2L).correctClean());
    }

    @Test
    void everyAttackTheToyDatasetAllowsRunsWithConsistentFlags() {
        Map<String, ShardResult> results = new LinkedHashMap<>();
        for (String attack : EvaluationPlan.KNOWN_ATTACKS) {
            if (EvaluationPlan.minClasses(attack) > ToyCircles.CLASSES
                    || !EvaluationPlan.norms(attack).contains("linf")) {
                continue;
            }
            ShardResult r = run(attack, 0, 24, 5L);
            results.put(attack, r);
            assertEquals(24, r.examples(), attack);
            assertEquals(24, r.robustFlags().length, attack);
            int flagged = 0;
            for (boolean flag : r.robustFlags()) {
                flagged += flag ? 1 : 0;
            }
            assertEquals(r.robust(), flagged, attack + ": the count is the number of robust flags");
            assertTrue(r.robust() <= r.correctClean(), attack + ": robust ≤ clean: " + r);
            assertTrue(r.correctClean() > 12, attack + ": the model learnt something: " + r);
        }
        assertEquals(List.of("pgd-20", "cw-inf", "fgsm", "i-fgsm", "mi-fgsm", "apgd-ce", "fab-t", "square",
                "autoattack", "autoattack-plus"), List.copyOf(results.keySet()));
        ShardResult autoAttack = results.get(EvaluationPlan.AUTOATTACK);
        ShardResult apgdCe = results.get(EvaluationPlan.APGD_CE);
        assertTrue(autoAttack.robust() <= apgdCe.robust(), "AutoAttack starts with APGD-CE: " + autoAttack + " vs "
                + apgdCe);
        assertEquals(apgdCe.correctClean(), autoAttack.correctClean());
        ShardResult plus = results.get(EvaluationPlan.AUTOATTACK_PLUS);
        assertTrue(plus.robust() <= apgdCe.robust(), "AutoAttack plus starts with APGD-CE, 5 restarts: " + plus);
        assertArrayEquals(autoAttack.robustFlags(), run(EvaluationPlan.AUTOATTACK, 0, 24, 5L).robustFlags(),
                "same seed, same flags");
    }

    @Test
    void attacksNeedingMoreClassesThanTheDatasetHasAreRefusedByName() {
        refused(() -> run(EvaluationPlan.APGD_DLR, 0, 10, 1L),
                "'apgd-dlr' needs at least 3 classes; dataset toy-circles has 2");
        refused(() -> run(EvaluationPlan.APGD_T, 0, 10, 1L),
                "'apgd-t' needs at least 4 classes; dataset toy-circles has 2");
        assertEquals(DatasetSpec.classes(DatasetSpec.TOY_CIRCLES).getAsInt(), ToyCircles.CLASSES);
        assertEquals(ToyCircles.CLASSES, Datasets.testSplit(SPEC.dataset()).classes());
    }

    @Test
    void refusesBadArguments() {
        int testSize = SPEC.dataset().testSize();
        refused(() -> run("fab", 0, 10, 1L), "unknown attack 'fab'");
        refused(() -> run("cw-l2", 0, 10, 1L), "attack 'cw-l2' runs in [l2] only");
        refused(() -> run(null, 0, 10, 1L), "unknown attack");
        refused(() -> ShardEvaluation.run(checkpoint, SPEC.model(), SPEC.dataset(), "pgd-20", "l1", 0.05, 0.01, 0, 10,
                1L), "unknown norm");
        refused(() -> run("pgd-20", testSize - 5, 10, 1L), "outside the test split");
        refused(() -> run("pgd-20", -1, 10, 1L), "outside the test split");
        refused(() -> run("pgd-20", 0, 0, 1L), "count");
        refused(() -> ShardEvaluation.run(checkpoint, SPEC.model(), SPEC.dataset(), "pgd-20", "linf", 0, 0.01, 0, 10,
                1L), "epsilon");
        refused(() -> ShardEvaluation.run(checkpoint, SPEC.model(), SPEC.dataset(), "pgd-20", "linf", 0.1, 0, 0, 10,
                1L), "stepSize");
        refused(() -> ShardEvaluation.run(null, SPEC.model(), SPEC.dataset(), "pgd-20", "linf", 0.1, 0.01, 0, 10,
                1L), "checkpoint");
        refused(() -> ShardEvaluation.run(checkpoint, new ModelSpec("resnet-18", 16), SPEC.dataset(), "pgd-20",
                "linf", 0.1, 0.01, 0, 10, 1L), "architecture");
        refused(() -> ShardEvaluation.run(checkpoint, SPEC.model(), new DatasetSpec("cifar-10", 10, 10, 1L),
                "pgd-20", "linf", 0.1, 0.01, 0, 10, 1L), "unknown dataset");
    }

    private static ShardResult run(String attack, int offset, int count, long seed) {
        return ShardEvaluation.run(checkpoint, SPEC.model(), SPEC.dataset(), attack, "linf", 0.1, 0.025, offset,
                count, seed);
    }

    private static void refused(Supplier<?> call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().contains(messagePart), "'" + e.getMessage() + "' names " + messagePart);
    }
}
