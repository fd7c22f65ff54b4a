package dev.robustlab.ml.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.AugmentationSpec;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.contracts.spec.WeightPerturbationSpec;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.ImageDatasets;
import dev.robustlab.ml.data.ImageFixtures;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Training runs on image datasets, built from the spec: the model (with its normalisation and BatchNorm), the train
 * split from the data directory, the augmentation, the method with its parameters, PIAT around it; the checkpoint
 * evaluates on the test split from the same directory.
 */
class ImageTrainingRunTest {
    @TempDir
    Path root;

    /** WRN-10-1 on a CIFAR-10-format fixture of 16 + 4 examples, batches of 8. */
    private static RunSpec wrn(String method, Map<String, Double> parameters, boolean piat,
                               AugmentationSpec augmentation, int epochs) {
        return new RunSpec("wrn", new DatasetSpec(DatasetSpec.CIFAR10, 16, 4, null),
                new ModelSpec(ModelSpec.WRN, null, 10, 1, null),
                new TrainingSpec(method, new PiatSpec(piat, null, null, null), parameters, null, augmentation),
                epochs, 8, new OptimizerSpec(null, 0.05, 0.9, 5e-4), null, new ThreatModel(null, null, null, 2),
                null, 3L).withDefaults();
    }

    @Test
    void aWrnTrainsOnCifarFilesWithAugmentationAndPiatAndItsCheckpointEvaluates() throws IOException {
        ImageFixtures.cifar10(root, 4, 4, 7L);
        RunSpec spec = wrn(TrainingMethods.PGD_AT, null, true, null, 2);
        assertEquals(new AugmentationSpec(true, 4, true), spec.training().augmentation());
        assertEquals("wrn(depth=10,width=1,normalization=cifar10)", spec.model().describe());
        byte[] checkpoint;
        try (TrainingRun run = TrainingRun.start(spec, root)) {
            assertEquals(new Shape(3, 32, 32), run.classifier().inputShape());
            EpochSummary first = run.trainEpoch();
            assertEquals(0.1, first.piatAlpha(), 1e-12);
            assertTrue(Double.isFinite(first.trainLoss()) && first.trainLoss() > 0, "loss " + first.trainLoss());
            int arrays = run.manager().getManagedArrays().size();
            EpochSummary second = run.trainEpoch();
            assertEquals(2.0 / 11, second.piatAlpha(), 1e-12);
            assertEquals(arrays, run.manager().getManagedArrays().size(), "an epoch leaves no arrays behind");
            checkpoint = run.checkpoint();
        }
        assertEquals(new Checkpoints.Header(spec.model().describe(), new Shape(3, 32, 32), 10),
                Checkpoints.header(checkpoint));
        ShardResult result = ShardEvaluation.run(checkpoint, spec.model(), spec.dataset(), root, "pgd-20", "linf",
                spec.threatModel().epsilon(), spec.evaluation().stepSize(), 1, 3, 5L);
        assertEquals(3, result.examples());
        assertEquals(3, result.robustFlags().length);
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Checkpoints.read(checkpoint, manager)) {
            assertEquals(spec.model().describe(), model.description());
        }
    }

    @Test
    void augmentationChangesWhatTheModelSeesAndTheMethodsParametersReachTheObjective() throws IOException {
        ImageFixtures.cifar10(root, 4, 4, 7L);
        AugmentationSpec off = new AugmentationSpec(false, null, false);
        float[] plain = trainedOnce(wrn(TrainingMethods.STANDARD, null, false, off, 1));
        float[] again = trainedOnce(wrn(TrainingMethods.STANDARD, null, false, off, 1));
        float[] augmented = trainedOnce(wrn(TrainingMethods.STANDARD, null, false, null, 1));
        assertTrue(Arrays.equals(plain, again), "a run is reproducible from its seed");
        assertFalse(Arrays.equals(plain, augmented), "augmentation changes the batches");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> TrainingRun.start(
                wrn(TrainingMethods.PGD_AT, Map.of("beta", 6.0), false, null, 1), root));
        assertTrue(unknown.getMessage().contains("training.parameters.beta"), unknown.getMessage());
    }

    @Test
    void weightPerturbationNamedInTheSpecChangesTheTraining() throws IOException {
        ImageFixtures.cifar10(root, 4, 4, 7L);
        float[] plain = trainedOnce(wrnWith(new WeightPerturbationSpec(WeightPerturbationSpec.NONE, null, null, null)));
        float[] awp = trainedOnce(wrnWith(new WeightPerturbationSpec(WeightPerturbationSpec.AWP, null, null, null)));
        assertFalse(java.util.Arrays.equals(plain, awp), "AWP from the spec takes the step's gradient elsewhere");
        assertArrayEquals(awp, trainedOnce(wrnWith(new WeightPerturbationSpec(WeightPerturbationSpec.AWP, null, null,
                null))), "the same AWP run twice gives the same weights");
    }

    private static RunSpec wrnWith(WeightPerturbationSpec perturbation) {
        return new RunSpec(null, new DatasetSpec(DatasetSpec.CIFAR10, 16, 4, null),
                new ModelSpec(ModelSpec.WRN, null, 10, 1, null), new TrainingSpec(null, null, null, perturbation,
                null), 1, 8, null, null, null, null, 1L).withDefaults();
    }

    @Test
    void aSmallCnnTrainsAnEpochOnAFewHundredFashionMnistImages() {
        Path debian = ImageDatasets.defaultDirectory(DatasetSpec.FASHION_MNIST).orElseThrow();
        assumeTrue(Files.isDirectory(debian), "Debian's dataset-fashion-mnist is not installed");
        RunSpec spec = new RunSpec("fmnist", new DatasetSpec(DatasetSpec.FASHION_MNIST, 300, 100, null),
                new ModelSpec(ModelSpec.SMALL_CNN, null), new TrainingSpec(TrainingMethods.PGD_AT, null), 1, 100,
                new OptimizerSpec(null, 0.05, null, null), null, new ThreatModel(null, null, null, 2), null, 1L)
                .withDefaults();
        try (TrainingRun run = TrainingRun.start(spec, null)) {
            assertEquals(new Shape(1, 28, 28), run.classifier().inputShape());
            assertEquals(10, run.classifier().classes());
            EpochSummary epoch = run.trainEpoch();
            assertTrue(Double.isFinite(epoch.trainLoss()) && epoch.trainLoss() > 0, "loss " + epoch.trainLoss());
            assertTrue(epoch.trainAccuracy() >= 0 && epoch.trainAccuracy() <= 1);
            assertEquals("small-cnn", Checkpoints.header(run.checkpoint()).description());
        }
    }

    private float[] trainedOnce(RunSpec spec) {
        try (TrainingRun run = TrainingRun.start(spec, root)) {
            run.trainEpoch();
            return run.classifier().parameters().get(0).getArray().toFloatArray();
        }
    }
}
