package dev.robustlab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.training.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code robustlab reproduce fashion-mnist} on small IDX files in Fashion-MNIST's format written here (each class a
 * bright band on noise, so the CNN learns something in two epochs): every epoch's PGD-20 and CW∞ accuracy and
 * AutoAttack on the best and final epochs are what a direct library run gives, best / final / diff follow from
 * them, and bad flags are named. AutoAttack runs on 8 examples of a 1-epoch model only: on robust points its Square
 * component spends its 5000 queries, which is what makes it slow.
 */
class FashionMnistStudyCommandTest {
    private static final int TRAIN = 256;
    private static final int TEST = 16;
    private static final int EPOCHS = 2;
    private static final int BATCH = 16;

    @TempDir
    static Path directory;
    private static Path dataRoot;
    private static CommandRunner.Outcome outcome;
    private static JsonNode result;

    @BeforeAll
    static void runStudy() throws Exception {
        dataRoot = directory.resolve("data");
        writeIdx(dataRoot.resolve("fashion-mnist"), "train", TRAIN, 1);
        writeIdx(dataRoot.resolve("fashion-mnist"), "t10k", TEST, 2);
        Path json = directory.resolve("fm.json");
        outcome = CommandRunner.run("reproduce", "fashion-mnist", "--data-dir", dataRoot.toString(), "--train-size",
                String.valueOf(TRAIN), "--limit", String.valueOf(TEST), "--epochs", String.valueOf(EPOCHS),
                "--batch-size", String.valueOf(BATCH), "--methods", "pgd-at,piat-nmse", "--no-autoattack", "--json",
                json.toString());
        assertEquals(0, outcome.code(), outcome.err());
        result = EventJson.mapper().readTree(json.toFile());
    }

    @Test
    void everyEpochIsWhatADirectLibraryRunGives() {
        RunSpec spec = pgdAt(EPOCHS, TEST);
        JsonNode arm = result.path("methods").get(0);
        assertEquals("pgd-at", arm.path("id").asText());
        try (TrainingRun run = TrainingRun.start(spec, dataRoot)) {
            for (int e = 1; e <= EPOCHS; e++) {
                double loss = run.trainEpoch().trainLoss();
                byte[] checkpoint = run.checkpoint();
                JsonNode epoch = arm.path("epochs").get(e - 1);
                assertEquals(loss, epoch.path("train_loss").asDouble(), 0);
                for (String attack : List.of("pgd-20", "cw-inf")) {
                    assertEquals(robust(spec, checkpoint, attack, TEST), epoch.path(attack).asDouble(), 0,
                            attack + ", epoch " + e);
                }
            }
        }
        double first = arm.path("epochs").get(0).path("pgd-20").asDouble();
        assertTrue(first > 0 && first < arm.path("epochs").get(0).path("clean").asDouble(), "after one epoch a model "
                + "the attacks partly break, so that the figures mean something: " + first);
    }

    @Test
    void bestFinalAndDiffFollowFromTheEpochs() {
        for (JsonNode arm : result.path("methods")) {
            JsonNode epochs = arm.path("epochs");
            assertEquals(EPOCHS, epochs.size());
            assertEquals(EPOCHS, arm.path("series").path("cw-inf").size());
            int best = epochs.get(1).path("pgd-20").asDouble() > epochs.get(0).path("pgd-20").asDouble() ? 2 : 1;
            JsonNode bestNode = arm.path("best");
            JsonNode finalNode = arm.path("final");
            assertEquals(best, bestNode.path("epoch").asInt());
            assertEquals(EPOCHS, finalNode.path("epoch").asInt());
            assertTrue(bestNode.path("pgd-20").asDouble() >= finalNode.path("pgd-20").asDouble());
            for (String metric : List.of("clean", "pgd-20", "cw-inf")) {
                assertEquals(bestNode.path(metric).asDouble() - finalNode.path(metric).asDouble(),
                        arm.path("diff").path(metric).asDouble(), 0, metric);
                assertTrue(bestNode.path(metric).asDouble() <= bestNode.path("clean").asDouble(), "robust ≤ clean");
            }
            assertFalse(bestNode.has("autoattack") || arm.path("diff").has("autoattack"), "--no-autoattack");
        }
        assertEquals(List.of(0.1, 2 / 11.0), List.of(
                result.path("methods").get(1).path("epochs").get(0).path("piat_alpha").asDouble(),
                result.path("methods").get(1).path("epochs").get(1).path("piat_alpha").asDouble()));
        assertTrue(outcome.out().contains("PIAT+NMSE (nmse inside PIAT)") && !outcome.out().contains("AA best"),
                outcome.out());
        assertEquals(TEST, result.path("configuration").path("test_examples").asInt());
        JsonNode later = result.path("configuration").path("best_and_final_attacks");
        assertTrue(later.isArray() && later.isEmpty(), later.toString());
    }

    @Test
    void autoAttackOnTheBestAndFinalCheckpointIsADirectEvaluations() throws Exception {
        int examples = 8;
        Path json = directory.resolve("aa.json");
        CommandRunner.Outcome aa = CommandRunner.run("reproduce", "fashion-mnist", "--data-dir", dataRoot.toString(),
                "--train-size", String.valueOf(TRAIN), "--limit", String.valueOf(examples), "--epochs", "1",
                "--batch-size", String.valueOf(BATCH), "--methods", "pgd-at", "--json", json.toString());
        assertEquals(0, aa.code(), aa.err());
        JsonNode arm = EventJson.mapper().readTree(json.toFile()).path("methods").get(0);
        RunSpec spec = pgdAt(1, examples);
        try (TrainingRun run = TrainingRun.start(spec, dataRoot)) {
            run.trainEpoch();
            double expected = robust(spec, run.checkpoint(), "autoattack", examples);
            assertEquals(expected, arm.path("best").path("autoattack").asDouble(), 0);
            assertEquals(expected, arm.path("final").path("autoattack").asDouble(), 0);
        }
        assertEquals(0.0, arm.path("diff").path("autoattack").asDouble());
        assertTrue(arm.path("best").path("autoattack").asDouble() <= arm.path("best").path("clean").asDouble());
        assertTrue(aa.out().contains("AA best"), aa.out());
        assertTrue(aa.err().contains("autoattack on the best epoch (1), which is the final one"), aa.err());
    }

    @Test
    void squeezeTraining() throws Exception {
        Path json = directory.resolve("st.json");
        CommandRunner.Outcome st = CommandRunner.run("reproduce", "fashion-mnist", "--data-dir", dataRoot.toString(),
                "--train-size", "64", "--limit", "8", "--epochs", "1", "--methods", "st", "--no-autoattack",
                "--json", json.toString());
        assertEquals(0, st.code(), st.err());
        JsonNode arm = EventJson.mapper().readTree(json.toFile()).path("methods").get(0);
        assertEquals("st", arm.path("method").asText());
        assertEquals(1, arm.path("epochs").size());
        assertTrue(arm.path("epochs").get(0).path("train_loss").asDouble() > 0);
    }

    @Test
    void helpAndBadFlags() {
        CommandRunner.Outcome help = CommandRunner.run("reproduce", "fashion-mnist", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--epochs", "--train-size", "--limit", "--methods", "--no-autoattack", "--eps",
                "--lr", "--batch-size", "--seed", "--data-dir", "--json")) {
            assertTrue(help.out().contains(flag), flag + " in\n" + help.out());
        }
        assertBad("--train-size must be between 1 and 60000 (the training split), got 0", "--train-size", "0");
        assertBad("--limit must be between 1 and 10000 (the test split), got 10001", "--limit", "10001");
        assertBad("--methods: unknown method 'mart'; known: pgd-at, trades, piat-nmse, st", "--methods", "mart");
        assertBad("--data-dir " + directory.resolve("nowhere") + ": no directory", "--data-dir",
                directory.resolve("nowhere").toString());
        assertBad("--batch-size must be at least 1, got 0", "--batch-size", "0");
    }

    private static void assertBad(String message, String... flags) {
        List<String> args = new ArrayList<>(List.of("reproduce", "fashion-mnist"));
        args.addAll(List.of(flags));
        CommandRunner.Outcome bad = CommandRunner.run(args.toArray(String[]::new));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains(message), bad.err());
    }

    /** PGD-AT as the command trains it: small CNN, SGD lr 0.05 momentum 0.9, PGD-10 at ε = 0.1, α = ε/4, seed 0. */
    private static RunSpec pgdAt(int epochs, int testExamples) {
        return new RunSpec("PGD-AT", new DatasetSpec(DatasetSpec.FASHION_MNIST, TRAIN, testExamples, null),
                new ModelSpec(ModelSpec.SMALL_CNN, null), new TrainingSpec("pgd-at",
                new PiatSpec(false, null, null, null)), epochs, BATCH, new OptimizerSpec("sgd", 0.05, 0.9, 0.0), null,
                new ThreatModel("linf", 0.1, 0.025, 10), null, 0L).withDefaults();
    }

    private static double robust(RunSpec spec, byte[] checkpoint, String attack, int examples) {
        return ShardEvaluation.run(checkpoint, spec.model(), spec.dataset(), dataRoot, attack, "linf", 0.1, 0.025, 0,
                examples, 0L).robust() / (double) examples;
    }

    /** {@code prefix-images-idx3-ubyte} and {@code prefix-labels-idx1-ubyte}: label i mod 10, a band at its rows. */
    private static void writeIdx(Path directory, String prefix, int count, long seed) throws IOException {
        Files.createDirectories(directory);
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream image = new DataOutputStream(images);
             DataOutputStream label = new DataOutputStream(labels)) {
            image.writeInt(0x803);
            image.writeInt(count);
            image.writeInt(28);
            image.writeInt(28);
            label.writeInt(0x801);
            label.writeInt(count);
            for (int i = 0; i < count; i++) {
                int k = i % 10;
                label.writeByte(k);
                for (int row = 0; row < 28; row++) {
                    for (int column = 0; column < 28; column++) {
                        boolean band = row >= 2 + 2 * k && row < 4 + 2 * k && column >= 4 && column < 24;
                        image.writeByte(band ? 200 + random.nextInt(56) : random.nextInt(80));
                    }
                }
            }
        }
        Files.write(directory.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        Files.write(directory.resolve(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
    }
}
