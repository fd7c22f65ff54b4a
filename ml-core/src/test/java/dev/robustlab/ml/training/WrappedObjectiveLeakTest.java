package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.optimizer.Sgd;
import dev.robustlab.ml.training.perturbation.PerturbedWeights;
import dev.robustlab.ml.training.perturbation.WeightPerturbation;
import dev.robustlab.ml.training.perturbation.WeightPerturbationConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Live NDArrays do not grow with Squeeze Training, CFA, AWP and RWP steps on a model with BatchNorm, nor with
 * epochs of runs that use them: every temporary is scoped.
 */
class WrappedObjectiveLeakTest {

    @Test
    void stepsOfEachObjectiveAndPerturbationLeaveNoArraysBehind() {
        int systemBefore = systemArrays();
        try (NDManager base = MlEngine.newBaseManager();
             Classifier model = SeededModels.withBatchNorm(6, 12, 3, 7L, DataType.FLOAT32, base)) {
            CfaObjective cfa = CfaObjective.builder().setEpsilon(0.1).setStepSize(0.025).setSteps(3)
                    .optStartEpoch(0).optThreshold(0).build();
            List<TrainingObjective> objectives = List.of(
                    new SqueezeTrainingObjective(SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL, 6, 0.1, 0.025, 3),
                    new SqueezeTrainingObjective(SqueezeTrainingObjective.Regularizer.JENSEN_SHANNON, 6, 0.1, 0.025, 3),
                    cfa);
            List<WeightPerturbationConfig> perturbations = List.of(WeightPerturbationConfig.awp(),
                    WeightPerturbationConfig.of("rwp", null, 3, 1.1));
            Sgd sgd = new Sgd(0.9, 5e-4, base);
            SplittableRandom random = new SplittableRandom(5);
            int before = -1;
            for (int round = 0; round < 4; round++) {
                for (TrainingObjective objective : objectives) {
                    for (WeightPerturbationConfig perturbation : perturbations) {
                        try (NDManager batch = base.newSubManager()) {
                            NDArray x = SeededModels.uniform(batch, random, 0, 1, DataType.FLOAT32, 24, 6);
                            NDArray labels = batch.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2,
                                0, 1, 2, 0, 1, 2, 0, 1, 2});
                            NDList prepared = objective.prepare(model, x, labels, random);
                            try (PerturbedWeights perturbed = new WeightPerturbation(perturbation).perturb(model,
                                    objective, prepared, labels);
                                 GradientScope gradients = GradientScope.open()) {
                                gradients.backward(objective.loss(model, prepared, labels).loss());
                            }
                            sgd.step(model.parameters(), 0.01);
                        }
                    }
                }
                cfa.epochEnded(new EpochContext(round + 1, model, new long[] {3, 2, 1}, new long[] {4, 4, 4}));
                cfa.withCheckpointWeights(model, () -> null);
                if (round == 0) {
                    before = base.getManagedArrays().size(); // momentum buffers and the CFA average exist now
                }
            }
            assertEquals(before, base.getManagedArrays().size(), "live arrays of the base manager");
        }
        assertEquals(systemBefore, systemArrays(), "live arrays of the engine's system manager");
    }

    @Test
    void epochsWithSqueezeTrainingAndAwpOrCfaLeaveNoArraysBehind() {
        RunSpec spec = TestSpecs.toy(TrainingSpec.PGD_AT, true, 256, 4, 64, 0.1, 0.05, 3, 16, 11L);
        List<TrainingObjective> objectives = List.of(
                new SqueezeTrainingObjective(SqueezeTrainingObjective.Regularizer.SYMMETRIC_KL, 6, 0.05, 0.0125, 3),
                CfaObjective.builder().setEpsilon(0.05).setStepSize(0.0125).setSteps(3).optStartEpoch(0)
                        .optThreshold(0).build());
        List<WeightPerturbationConfig> perturbations = List.of(WeightPerturbationConfig.of("rwp", null, 2, null),
                WeightPerturbationConfig.awp());
        for (int i = 0; i < objectives.size(); i++) {
            TrainingObjective objective = objectives.get(i);
            try (TrainingRun run = TrainingRun.start(spec, objective, perturbations.get(i))) {
                run.trainEpoch();
                run.checkpoint();
                int afterFirst = run.manager().getManagedArrays().size();
                int systemAfterFirst = systemArrays();
                for (int e = 2; e <= 4; e++) {
                    run.trainEpoch();
                    run.checkpoint();
                }
                assertEquals(afterFirst, run.manager().getManagedArrays().size(), objective.id() + ": run manager");
                assertEquals(systemAfterFirst, systemArrays(), objective.id() + ": system manager");
            }
        }
    }

    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
