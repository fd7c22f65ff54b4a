package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.perturbation.WeightPerturbationConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run calls the objective's epoch hook with per-class counts, checkpoints its weights, and applies AWP/RWP. */
class TrainingRunHooksTest {
    private static final RunSpec SPEC = TestSpecs.toy(TrainingSpec.PGD_AT, false, 256, 4, 64, 0.1, 0.05, 3, 16, 11L);

    @Test
    void theEpochHookGetsThePerClassAccuracyOfTheObjectivesLogits() {
        List<EpochContext> heard = new ArrayList<>();
        TrainingObjective recording = new Recording(heard);
        try (TrainingRun run = TrainingRun.start(SPEC, recording, null)) {
            for (int e = 1; e <= 2; e++) {
                EpochSummary summary = run.trainEpoch();
                EpochContext context = heard.get(e - 1);
                assertEquals(e, context.epoch());
                assertTrue(context.model() == run.classifier());
                assertEquals(256, Arrays.stream(context.examplesByClass()).sum(), "every example, once");
                assertEquals(summary.trainAccuracy() * 256, Arrays.stream(context.correctByClass()).sum(), 1e-9);
                assertEquals(2, context.classes());
            }
        }
    }

    @Test
    void cfaCheckpointsCarryTheAverageWhileTrainingGoesOnFromTheTrainedWeights() {
        CfaObjective cfa = CfaObjective.builder().setEpsilon(0.05).setStepSize(0.0125).setSteps(3).optStartEpoch(1)
                .optThreshold(0).build();
        try (TrainingRun run = TrainingRun.start(SPEC, cfa, null)) {
            run.trainEpoch();
            assertEquals(0, cfa.averageUpdates());
            assertArrayEquals(Checkpoints.write(run.classifier()), run.checkpoint(), "epoch 1: the trained weights");
            run.trainEpoch();
            run.trainEpoch();
            assertEquals(2, cfa.averageUpdates(), "epochs 2 and 3 (indices ≥ start_epoch 1) update the average");
            byte[] trained = Checkpoints.write(run.classifier());
            byte[] checkpoint = run.checkpoint();
            assertFalse(Arrays.equals(trained, checkpoint), "the checkpoint carries 0.88·θ₂ + 0.12·θ₃");
            assertArrayEquals(trained, Checkpoints.write(run.classifier()), "the trained weights are back");
        }
    }

    @Test
    void awpAndRwpChangeTheTrainingAndLeaveItFinite() {
        double[] plain = losses(null);
        double[] awp = losses(WeightPerturbationConfig.of("awp", 0.05, null, null));
        double[] rwp = losses(WeightPerturbationConfig.of("rwp", 0.05, 3, null));
        for (double[] run : List.of(plain, awp, rwp)) {
            assertTrue(Arrays.stream(run).allMatch(Double::isFinite), Arrays.toString(run));
        }
        assertEquals(plain[0], losses(null)[0], "the same run twice: the same loss");
        assertFalse(Arrays.equals(plain, awp), "AWP takes the gradients elsewhere");
        assertFalse(Arrays.equals(awp, rwp), "RWP is not AWP");
    }

    private static double[] losses(WeightPerturbationConfig perturbation) {
        try (TrainingRun run = TrainingRun.start(SPEC, Objectives.create(SPEC.training().method(),
                SPEC.training().parameters(), SPEC.threatModel()), perturbation)) {
            double[] losses = new double[2];
            for (int e = 0; e < losses.length; e++) {
                losses[e] = run.trainEpoch().trainLoss();
            }
            return losses;
        }
    }

    /** PGD-AT that records the contexts it hears. */
    private static final class Recording implements TrainingObjective {
        private final PgdAtObjective pgdAt = new PgdAtObjective(Pgd.builder().setEpsilon(0.05).setStepSize(0.0125)
                .optSteps(3).build());
        private final List<EpochContext> heard;

        Recording(List<EpochContext> heard) {
            this.heard = heard;
        }

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public NDList prepare(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
            return pgdAt.prepare(model, x, labels, random);
        }

        @Override
        public Value loss(Classifier model, NDList prepared, NDArray labels) {
            return pgdAt.loss(model, prepared, labels);
        }

        @Override
        public void epochEnded(EpochContext context) {
            heard.add(context);
        }
    }
}
