package dev.robustlab.ml.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints reload to bit-identical logits; anything else is refused with IllegalArgumentException. */
class CheckpointTest {
    private static final RunSpec SPEC = TestSpecs.small(true, 2);
    private static byte[] checkpoint;
    private static float[] logits;

    @BeforeAll
    static void trainOneEpoch() {
        LabeledExamples test = Datasets.testSplit(SPEC.dataset());
        try (TrainingRun run = TrainingRun.start(SPEC)) {
            run.trainEpoch();
            checkpoint = run.checkpoint();
            try (NDManager batch = run.classifier().manager().newSubManager()) {
                NDList data = test.batch(batch, 0, test.size());
                logits = run.classifier().logits(data.get(0), false).toFloatArray();
            }
        }
    }

    @Test
    void reloadGivesBitIdenticalLogits() {
        LabeledExamples test = Datasets.testSplit(SPEC.dataset());
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Checkpoints.read(checkpoint, SPEC.model(), test.exampleShape(), test.classes(),
                     manager)) {
            NDList data = test.batch(manager, 0, test.size());
            float[] reloaded = model.logits(data.get(0), false).toFloatArray();
            assertArrayEquals(logits, reloaded, 0f);
        }
    }

    @Test
    void headerAloneRebuildsTheModel() {
        LabeledExamples test = Datasets.testSplit(SPEC.dataset());
        assertEquals(new Checkpoints.Header("mlp(hidden=16)", test.exampleShape(), test.classes()),
                Checkpoints.header(checkpoint));
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Checkpoints.read(checkpoint, manager)) {
            NDList data = test.batch(manager, 0, test.size());
            assertArrayEquals(logits, model.logits(data.get(0), false).toFloatArray(), 0f);
        }
    }

    @Test
    void refusesCorruptTruncatedForeignAndMismatchingBytes() {
        byte[] flipped = checkpoint.clone();
        flipped[flipped.length - 40] ^= 0x10;
        assertRefused(flipped, SPEC.model(), "checksum");
        assertRefused(Arrays.copyOf(checkpoint, checkpoint.length - 20), SPEC.model(), "truncated");
        assertRefused(Arrays.copyOf(checkpoint, checkpoint.length + 3), SPEC.model(), "trailing");
        assertRefused("definitely not a checkpoint".getBytes(), SPEC.model(), "magic");
        assertRefused(new byte[0], SPEC.model(), "empty");
        assertRefused(checkpoint, new ModelSpec(ModelSpec.MLP, 32), "mlp(hidden=16)");
    }

    @Test
    void shardEvaluationRefusesCorruptBytes() {
        byte[] flipped = checkpoint.clone();
        flipped[60] ^= 0x01;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardEvaluation.run(flipped,
                SPEC.model(), SPEC.dataset(), "pgd-20", "linf", 0.05, 0.0125, 0, 10, 1L));
        assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
    }

    private static void assertRefused(byte[] bytes, ModelSpec model, String messagePart) {
        LabeledExamples test = Datasets.testSplit(SPEC.dataset());
        try (NDManager manager = MlEngine.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoints.read(bytes, model, test.exampleShape(), test.classes(), manager));
            assertTrue(e.getMessage().contains(messagePart), "message names the problem: " + e.getMessage());
        }
    }
}
