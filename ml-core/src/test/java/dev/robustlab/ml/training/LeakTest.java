package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.evaluation.RobustnessEvaluator;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Live NDArrays do not grow with attacks, evaluations or epochs: every temporary is scoped. */
class LeakTest {

    @Test
    void attacksAndEvaluationsLeaveNoArraysBehind() {
        int systemBefore = systemArrays();
        try (TrainingRun run = TrainingRun.start(TestSpecs.small(false, 1))) {
            Classifier model = run.classifier();
            NDManager base = run.manager();
            LabeledExamples test = Datasets.testSplit(run.spec().dataset());
            NDList batch = test.batch(base, 0, 100);
            SplittableRandom random = Seeds.stream(1, "leak");
            int before = base.getManagedArrays().size();
            for (String id : List.of(EvaluationPlan.PGD_20, EvaluationPlan.CW_INF)) {
                Attack attack = Attacks.evaluation(id, "linf", 0.1, 0.025);
                for (int i = 0; i < 25; i++) {
                    NDArray adversarial = attack.perturb(model, batch.get(0), batch.get(1), random);
                    adversarial.close();
                }
                new RobustnessEvaluator(64).evaluate(model, test, attack, random, base);
            }
            assertEquals(before, base.getManagedArrays().size(), "live arrays of the run's base manager");
        }
        assertEquals(systemBefore, systemArrays(), "live arrays of the engine's system manager");
    }

    @Test
    void epochsLeaveNoArraysBehind() {
        try (TrainingRun run = TrainingRun.start(TestSpecs.small(true, 4))) {
            run.trainEpoch(); // creates the momentum buffers
            run.checkpoint();
            int afterFirst = run.manager().getManagedArrays().size();
            int systemAfterFirst = systemArrays();
            for (int e = 2; e <= 4; e++) {
                run.trainEpoch();
                run.checkpoint();
            }
            assertEquals(afterFirst, run.manager().getManagedArrays().size(), "live arrays of the run's manager");
            assertEquals(systemAfterFirst, systemArrays(), "live arrays of the engine's system manager");
        }
    }

    /** Every live array of the process: the system manager's, its base managers' and their sub-managers'. */
    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
