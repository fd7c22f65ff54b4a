package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a trained non-linear model (an MLP on toy circles) the attacks rank as the literature says: one FGSM step
 * breaks no more than PGD-20, and APGD-CE breaks at least as many as PGD-20 with a tuned step. Deterministic: the
 * model, the data and the random starts all come from seeds.
 */
class AttackStrengthTest {

    @Test
    void apgdIsAtLeastAsStrongAsPgdWhichBeatsFgsm() {
        double epsilon = 0.1;
        try (TrainingRun run = TrainingRun.start(TestSpecs.small(false, 3))) {
            for (int e = 0; e < 3; e++) {
                run.trainEpoch();
            }
            LabeledExamples test = Datasets.testSplit(run.spec().dataset());
            try (NDManager batch = MlEngine.newBaseManager()) {
                NDList data = test.batch(batch, 0, Math.min(400, test.size()));
                int fgsm = Fgsm.builder().setEpsilon(epsilon).build()
                        .run(run.classifier(), data.get(0), data.get(1), Seeds.stream(1, "fgsm")).successes();
                int pgd = Pgd.builder().setEpsilon(epsilon).setStepSize(epsilon / 4).optSteps(20).build()
                        .run(run.classifier(), data.get(0), data.get(1), Seeds.stream(1, "pgd")).successes();
                int apgd = Apgd.builder().setEpsilon(epsilon).build()
                        .run(run.classifier(), data.get(0), data.get(1), Seeds.stream(1, "apgd")).successes();
                String counts = "broken by FGSM " + fgsm + ", PGD-20 " + pgd + ", APGD-CE " + apgd;
                assertTrue(pgd > 0, "the attacks have something to find: " + counts);
                assertTrue(fgsm <= pgd, counts);
                assertTrue(apgd >= pgd, counts);
            }
        }
    }
}
