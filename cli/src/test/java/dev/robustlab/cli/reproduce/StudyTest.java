package dev.robustlab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.engine.MlEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The study loop: no array outlives an epoch's evaluation; attacks on the best and final epochs only; its checks. */
class StudyTest {
    private static final RunSpec BASE = new RunSpec("study-test", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 300, 200,
            null), new ModelSpec(ModelSpec.MLP, 16), null, 4, 64, new OptimizerSpec(null, 0.2, null, null), null,
            new ThreatModel(null, 0.05, null, 3), null, 2L).withDefaults();

    @Test
    void leavesNoArrayBehindAndAttacksBestAndFinalOnly() {
        List<String> notes = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        StudyProgress progress = new StudyProgress() {
            @Override
            public void epochDone(StudyMethod method, EpochRecord epoch, int total) {
                epochs.add(epoch.epoch());
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        };
        try (NDManager manager = MlEngine.newBaseManager()) {
            EpochEvaluator evaluator = new EpochEvaluator(Datasets.testSplit(BASE.dataset()), "linf", 0.05, 0.0125,
                    2L);
            Study study = Study.builder().setEvaluator(evaluator).setAttacks(List.of("pgd-20"))
                    .optBestAndFinalAttacks(List.of("fgsm")).optProgress(progress).build();
            MethodResult result = study.run(new StudyMethod("pgd-at", "PGD-AT", "pgd-at", false), BASE, manager);
            assertEquals(0, manager.getManagedArrays().size(), "arrays left in the caller's manager");

            assertEquals(List.of(1, 2, 3, 4), epochs);
            assertEquals(4, result.epochs().size());
            int best = result.bestFinal().best().epoch();
            List<Integer> measured = new ArrayList<>(result.measuredLater().keySet());
            measured.sort(null);
            assertEquals(best == 4 ? List.of(4) : List.of(best, 4), measured);
            assertTrue(result.bestFinal().best().metrics().containsKey("fgsm"));
            assertTrue(result.bestFinal().last().metrics().containsKey("fgsm"));
            assertTrue(result.epochs().stream().noneMatch(e -> e.metrics().containsKey("fgsm")));
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("PGD-AT: fgsm done in")), notes.toString());
        }
    }

    @Test
    void refusesAStudyThatCannotChooseItsBestEpoch() {
        EpochEvaluator evaluator = new EpochEvaluator(Datasets.testSplit(BASE.dataset()), "linf", 0.05, 0.0125, 2L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.builder().setEvaluator(evaluator).setAttacks(List.of("cw-inf")).build());
        assertEquals("attacks [cw-inf] must include the selection attack 'pgd-20': it is measured on every epoch to "
                + "choose the best one", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Study.builder().setAttacks(List.of("pgd-20")).build());
    }
}
