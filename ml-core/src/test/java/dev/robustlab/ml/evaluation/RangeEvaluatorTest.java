package dev.robustlab.ml.evaluation;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The range evaluation on a PGD-trained toy MLP attacked at twice its training radius (accurate, and breakable):
 * shards merge into the whole, an interrupted evaluation resumes to the uninterrupted flags without recomputing the
 * saved batches, a state file of another configuration is refused, and batches leave no arrays behind.
 */
class RangeEvaluatorTest {
    private static final RunSpec SPEC = TestSpecs.toy(TrainingSpec.PGD_AT, false, 1000, 4, 64, 0.1, 0.05, 3, 32, 11L);
    private static final List<String> ATTACKS = List.of("fgsm", "pgd-20", "cw-inf");
    private static final int BATCH = 32;

    private static NDManager manager;
    private static Classifier model;
    private static LabeledExamples test;
    private static String sha256;

    @TempDir
    Path directory;

    @BeforeAll
    static void train() {
        byte[] checkpoint;
        try (TrainingRun run = TrainingRun.start(SPEC)) {
            for (int e = 0; e < SPEC.epochs(); e++) {
                run.trainEpoch();
            }
            checkpoint = run.checkpoint();
        }
        test = Datasets.testSplit(SPEC.dataset());
        manager = MlEngine.newBaseManager();
        model = Checkpoints.read(checkpoint, SPEC.model(), test.exampleShape(), test.classes(), manager);
        sha256 = EvaluationConfig.sha256(checkpoint);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static EvaluationConfig.Builder config(int offset, int limit) {
        return EvaluationConfig.builder().setModelSha256(sha256).setDataset(SPEC.dataset().name())
                .setRange(offset, limit).setEpsilon(0.1).optAttacks(ATTACKS).optSeed(7).optBatchSize(BATCH);
    }

    private static EvaluationResult evaluate(EvaluationConfig config, Path state, EvaluationProgress progress) {
        return RangeEvaluator.evaluate(model, test, config, state, progress, manager);
    }

    private static EvaluationResult evaluate(EvaluationConfig config) {
        return evaluate(config, null, EvaluationProgress.NONE);
    }

    @Test
    void theResultIsAComposition() {
        EvaluationResult whole = evaluate(config(0, 200).build());
        assertEquals(ATTACKS, whole.config().attacks());
        assertEquals(0.025, whole.config().stepSize(), 1e-12, "α defaults to ε/4");
        int clean = count(whole.clean());
        int previous = clean;
        for (int k = 0; k < ATTACKS.size(); k++) {
            boolean[] after = whole.robustAfter().get(k);
            boolean[] before = k == 0 ? whole.clean() : whole.robustAfter().get(k - 1);
            for (int i = 0; i < after.length; i++) {
                assertTrue(before[i] || !after[i], ATTACKS.get(k) + " never makes example " + i + " robust again");
            }
            assertTrue(count(after) <= previous);
            previous = count(after);
        }
        assertArrayEquals(whole.robustAfter().get(ATTACKS.size() - 1), whole.robust());
        assertTrue(clean > 150, "the model learnt something: " + clean + " of 200");
        assertTrue(count(whole.robust()) < clean, "the attacks break some examples");
        assertTrue(count(whole.robust()) > 0, "and leave some robust");
        assertEquals(count(whole.robust()) / 200.0, whole.robustAccuracy(), 1e-12);
    }

    @Test
    void mergedShardsEqualTheWhole() {
        EvaluationResult whole = evaluate(config(0, 300).build());
        List<EvaluationResult> shards = new ArrayList<>();
        // out of order, and of unequal lengths: bounds at multiples of the batch size are all that matters
        shards.add(evaluate(config(224, 76).build()));
        shards.add(evaluate(config(0, 96).build()));
        shards.add(evaluate(config(96, 128).build()));
        assertSameFlags(whole, EvaluationResult.merge(shards));

        // a range that starts inside a batch: its first batch is shorter, the others aligned
        EvaluationResult unaligned = evaluate(config(10, 150).build());
        assertSameFlags(unaligned, EvaluationResult.merge(List.of(evaluate(config(10, 54).build()),
                evaluate(config(64, 96).build()))));
    }

    @Test
    void mergeRefusesShardsThatDoNotMakeOneEvaluation() {
        EvaluationResult a = fake(config(0, 64).build());
        refused(() -> EvaluationResult.merge(List.of()), "no shard");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(32, 64).build()))), "overlap");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(96, 32).build()))), "gap: examples [64, 96)");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(64, 32).setEpsilon(0.05).build()))),
                "eps is 0.1 in the shard at offset 0 and 0.05 in the shard at offset 64");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(64, 32).optSeed(8).build()))), "seed");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(64, 32).optAttacks(List.of("fgsm")).build()))),
                "attacks");
        refused(() -> EvaluationResult.merge(List.of(fake(config(0, 64).optAttacks(null).build()),
                fake(config(64, 32).optAttacks(null).optNorm("l2").setEpsilon(0.5).build()))), "norm is linf");
        refused(() -> EvaluationResult.merge(List.of(fake(config(0, 64).optAttacks(null).build()),
                fake(config(64, 32).optAttacks(null).optSuite("plus").build()))), "suite is standard");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(64, 32).setModelSha256("00").build()))),
                "model_sha256");
        refused(() -> EvaluationResult.merge(List.of(a, fake(config(64, 32).setDataset("other").build()))),
                "dataset");
        refused(() -> EvaluationResult.merge(List.of(fake(config(0, 48).build()), fake(config(48, 48).build()))),
                "inside a batch");
        EvaluationResult b = fake(config(64, 64).optBatchSize(64).build());
        refused(() -> EvaluationResult.merge(List.of(fake(config(0, 64).optBatchSize(64).build()),
                fake(config(64, 32).build()))), "batch_size");
        assertEquals(128, EvaluationResult.merge(List.of(b, fake(config(0, 64).optBatchSize(64).build())))
                .examples());
    }

    @Test
    void anInterruptedEvaluationResumesWhereItStopped() throws Exception {
        // batches [16, 32) [32, 64) [64, 96) [96, 128) [128, 160) [160, 166)
        EvaluationConfig config = config(16, 150).build();
        EvaluationResult uninterrupted = evaluate(config);
        Path state = directory.resolve("state.json");
        List<Integer> seen = new ArrayList<>();
        RuntimeException stop = assertThrows(RuntimeException.class, () -> evaluate(config, state,
                (done, total, robust) -> {
                    seen.add(done);
                    if (seen.size() == 3) {
                        throw new IllegalStateException("interrupted");
                    }
                }));
        assertEquals("interrupted", stop.getMessage());
        assertEquals(List.of(0, 16, 48), seen, "the start, then two batches");
        List<EvaluationResult> saved = EvaluationState.read(state, config);
        assertEquals(2, saved.size(), "both finished batches are in the state file");
        assertEquals(List.of(), List.of(directory.toFile().list()).stream().filter(n -> n.endsWith(".tmp")).toList(),
                "no temporary file is left behind");

        // a copy in which the saved batches' flags are all 1: a resumed run that recomputed them would not say so
        Path tampered = directory.resolve("tampered.json");
        Files.writeString(tampered, Files.readString(state).replaceAll("\"[01]{16}\"", "\"" + "1".repeat(16) + "\"")
                .replaceAll("\"[01]{32}\"", "\"" + "1".repeat(32) + "\""));

        List<Integer> resumedSeen = new ArrayList<>();
        EvaluationResult resumed = evaluate(config, state, (done, total, robust) -> resumedSeen.add(done));
        assertSameFlags(uninterrupted, resumed);
        assertEquals(List.of(48, 80, 112, 144, 150), resumedSeen, "restored 48, then the four remaining batches");

        EvaluationResult fromTampered = evaluate(config, tampered, EvaluationProgress.NONE);
        for (int i = 0; i < 48; i++) {
            assertTrue(fromTampered.clean()[i] && fromTampered.robust()[i],
                    "example " + (16 + i) + " comes from the file");
        }
        for (int i = 48; i < 150; i++) {
            assertEquals(uninterrupted.robust()[i], fromTampered.robust()[i], "example " + (16 + i) + " is computed");
        }

        // a finished state file answers without attacking again
        List<Integer> finishedSeen = new ArrayList<>();
        assertSameFlags(uninterrupted, evaluate(config, state, (done, total, robust) -> finishedSeen.add(done)));
        assertEquals(List.of(150), finishedSeen);
    }

    @Test
    void aStateFileOfAnotherConfigurationIsRefused() throws Exception {
        Path state = directory.resolve("state.json");
        evaluate(config(0, 40).build(), state, EvaluationProgress.NONE);
        refused(() -> evaluate(config(0, 40).setEpsilon(0.05).build(), state, EvaluationProgress.NONE),
                "belongs to another evaluation: its eps is 0.1, this evaluation's is 0.05; delete " + state);
        refused(() -> evaluate(config(0, 50).build(), state, EvaluationProgress.NONE), "its limit is 40");
        refused(() -> evaluate(config(0, 40).optBatchSize(16).build(), state, EvaluationProgress.NONE),
                "its batch_size is 32");
        refused(() -> evaluate(config(0, 40).setModelSha256("ab").build(), state, EvaluationProgress.NONE),
                "its model_sha256 is " + sha256);
        refused(() -> evaluate(config(0, 40).optAttacks(List.of("fgsm")).build(), state, EvaluationProgress.NONE),
                "its attacks is [fgsm, pgd-20, cw-inf]");
        Files.writeString(state, "{\"format\": 1, \"config\": {\"dataset\": 3}}");
        refused(() -> evaluate(config(0, 40).build(), state, EvaluationProgress.NONE), "is malformed");
        Files.writeString(state, "not json");
        refused(() -> evaluate(config(0, 40).build(), state, EvaluationProgress.NONE), "not readable JSON");
    }

    @Test
    void badConfigurationsAreRefusedByName() {
        refused(() -> config(0, 10).optSuite("standard").build(), "not both");
        refused(() -> config(0, 10).optAttacks(null).optSuite("fast").build(), "unknown suite 'fast'");
        refused(() -> config(0, 10).optAttacks(List.of("pgd-20", "nope")).build(), "unknown attack 'nope'");
        refused(() -> config(0, 10).optAttacks(List.of()).build(), "at least one attack");
        refused(() -> config(0, 0).build(), "limit");
        refused(() -> config(-1, 10).build(), "offset");
        refused(() -> config(0, 10).optBatchSize(0).build(), "batchSize");
        refused(() -> config(0, 10).setEpsilon(0).build(), "epsilon");
        refused(() -> config(0, 10).optNorm("l1").build(), "unknown norm 'l1'");
        refused(() -> evaluate(config(490, 20).build()), "not all in the test split");
        refused(() -> evaluate(config(0, 10).optAttacks(List.of("apgd-t")).build()),
                "'apgd-t' needs at least 4 classes; dataset toy-circles has 2");
        EvaluationConfig standard = config(0, 10).optAttacks(null).build();
        assertEquals("standard", standard.suite());
        assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"), standard.attacks());
    }

    @Test
    void aSuiteReportsWhatItSkipsOnceAndLeavesTheFlagsThere() {
        EvaluationResult result = evaluate(config(0, 16).optAttacks(null).optSuite("standard").optBatchSize(8)
                .build());
        assertTrue(result.skipped().contains("apgd-t needs at least 4 classes, the model has 2, skipped"),
                result.skipped().toString());
        assertEquals(result.skipped().stream().distinct().toList(), result.skipped());
        assertArrayEquals(result.robustAfter().get(0), result.robustAfter().get(1), "apgd-t skipped");
        assertTrue(count(result.robust()) <= count(result.robustAfter().get(0)));
    }

    @Test
    void batchesLeaveNoArraysBehind() {
        int systemBefore = systemArrays();
        int before = manager.getManagedArrays().size();
        List<Integer> live = new ArrayList<>();
        EvaluationConfig config = config(0, 320).optBatchSize(8).build();
        EvaluationResult result = RangeEvaluator.evaluate(model, test, config, directory.resolve("s.json"),
                (done, total, robust) -> live.add(manager.getManagedArrays().size()), manager);
        assertEquals(41, live.size(), "40 batches");
        assertTrue(live.stream().allMatch(n -> n == before), "live arrays after each batch: " + live);
        assertEquals(320, result.examples());
        assertEquals(systemBefore, systemArrays(), "live arrays of the engine's system manager");
    }

    private static EvaluationResult fake(EvaluationConfig config) {
        int n = config.limit();
        List<boolean[]> after = new ArrayList<>();
        config.attacks().forEach(a -> after.add(new boolean[n]));
        return new EvaluationResult(config, new boolean[n], after, new boolean[n], List.of(), List.of(), 0);
    }

    private static void assertSameFlags(EvaluationResult expected, EvaluationResult actual) {
        assertEquals(expected.config(), actual.config());
        assertArrayEquals(expected.clean(), actual.clean(), "clean flags");
        for (int k = 0; k < expected.robustAfter().size(); k++) {
            assertArrayEquals(expected.robustAfter().get(k), actual.robustAfter().get(k),
                    "flags after " + expected.config().attacks().get(k));
        }
        assertArrayEquals(expected.robust(), actual.robust(), "robust flags");
        assertEquals(expected.warnings(), actual.warnings());
        assertEquals(expected.skipped(), actual.skipped());
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    private static int systemArrays() {
        try (NDManager probe = MlEngine.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    private static void refused(Supplier<?> call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().contains(messagePart), "'" + e.getMessage() + "' names " + messagePart);
    }
}
