package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.evaluation.ShardResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PGD-AT on toy-circles learns a classifier that is clearly better than chance, clean and under PGD-20. */
class ToyTrainingTest {

    @Test
    void pgdAtBecomesAccurateAndRobust() {
        RunSpec spec = TestSpecs.toy(TrainingSpec.PGD_AT, false, 2000, 6, 128, 0.1, 0.05, 10, 64, 0L);
        byte[] checkpoint;
        try (TrainingRun run = TrainingRun.start(spec)) {
            EpochSummary last = null;
            for (int e = 1; e <= spec.epochs(); e++) {
                last = run.trainEpoch();
                assertEquals(e, last.epoch());
                assertTrue(Double.isFinite(last.trainLoss()));
            }
            assertTrue(last.trainAccuracy() > 0.7, "adversarial training accuracy " + last.trainAccuracy());
            checkpoint = run.checkpoint();
            assertThrows(IllegalStateException.class, run::trainEpoch, "all epochs are trained");
        }
        ShardResult pgd = ShardEvaluation.run(checkpoint, spec.model(), spec.dataset(), "pgd-20", "linf", 0.05,
                0.0125, 0, 500, 3L);
        double clean = pgd.correctClean() / 500.0;
        double robust = pgd.robust() / 500.0;
        System.out.printf("toy PGD-AT, 6 epochs, ε = 0.05: clean %.3f, PGD-20 %.3f%n", clean, robust);
        assertTrue(clean > 0.9, "clean accuracy " + clean);
        assertTrue(robust > 0.75, "PGD-20 accuracy " + robust);
    }

    @Test
    void standardTrainingIsAccurateButNotRobust() {
        RunSpec spec = TestSpecs.toy(TrainingSpec.STANDARD, false, 2000, 6, 128, 0.1, 0.05, 10, 64, 0L);
        byte[] checkpoint;
        try (TrainingRun run = TrainingRun.start(spec)) {
            for (int e = 1; e <= spec.epochs(); e++) {
                run.trainEpoch();
            }
            checkpoint = run.checkpoint();
        }
        ShardResult pgd = ShardEvaluation.run(checkpoint, spec.model(), spec.dataset(), "pgd-20", "linf", 0.1,
                0.025, 0, 500, 3L);
        System.out.printf("toy standard, 6 epochs: clean %.3f, PGD-20 at ε = 0.1 %.3f%n",
                pgd.correctClean() / 500.0, pgd.robust() / 500.0);
        assertTrue(pgd.correctClean() > 0.9 * 500, "clean accuracy " + pgd.correctClean());
        assertTrue(pgd.robust() < pgd.correctClean() - 50, "PGD-20 breaks a clean model: " + pgd);
    }

    @Test
    void refusesSpecsThatDoNotValidate() {
        RunSpec bad = TestSpecs.toy("magic", false, 100, 1, 32, -1, 0.1, 10, 8, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.start(bad));
        assertTrue(e.getMessage().contains("training.method") && e.getMessage().contains("optimizer.learningRate"),
                e.getMessage());
        RunSpec raw = new RunSpec(null, null, null, null, null, null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.start(raw));
    }
}
