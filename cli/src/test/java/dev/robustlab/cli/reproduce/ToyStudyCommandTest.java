package dev.robustlab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.ml.training.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code robustlab reproduce toy} on 3 epochs of two arms: the JSON holds what a direct library run of the documented
 * setting computes, best / final / diff and the oscillation follow from the per-epoch series, the tables show them,
 * --help documents the flags and bad flags are named.
 */
class ToyStudyCommandTest {
    private static final int EPOCHS = 3;
    private static final long SEED = 5;

    @TempDir
    static Path directory;
    private static CommandRunner.Outcome outcome;
    private static JsonNode result;

    @BeforeAll
    static void runStudy() throws Exception {
        Path json = directory.resolve("out/toy.json");
        outcome = CommandRunner.run("reproduce", "toy", "--epochs", String.valueOf(EPOCHS), "--methods",
                "pgd-at,piat", "--seed", String.valueOf(SEED), "--json", json.toString());
        assertEquals(0, outcome.code(), outcome.err());
        result = EventJson.mapper().readTree(json.toFile());
    }

    @Test
    void everyEpochIsWhatTheDocumentedSettingGivesWhenTrainedAndAttackedDirectly() {
        // the paper's toy setting as the help states it: toy-circles, MLP 64, SGD lr 0.5 momentum 0.9, batches of
        // 128, PGD-10 at ε = 0.1 with α = ε/4; PGD-20 with α = ε/4 on the 1000 test examples
        RunSpec spec = new RunSpec("PGD-AT", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 2000, 1000, 9551L),
                new ModelSpec(ModelSpec.MLP, 64), new TrainingSpec("pgd-at", new PiatSpec(false, null, null, null)),
                EPOCHS, 128, new OptimizerSpec("sgd", 0.5, 0.9, 0.0), null, new ThreatModel("linf", 0.1, 0.025, 10),
                null, SEED).withDefaults();
        JsonNode epochs = arm("pgd-at").path("epochs");
        assertEquals(EPOCHS, epochs.size());
        try (TrainingRun run = TrainingRun.start(spec)) {
            for (int e = 0; e < EPOCHS; e++) {
                EpochSummary summary = run.trainEpoch();
                ShardResult pgd = ShardEvaluation.run(run.checkpoint(), spec.model(), spec.dataset(), "pgd-20",
                        "linf", 0.1, 0.025, 0, 1000, SEED);
                JsonNode epoch = epochs.get(e);
                assertEquals(e + 1, epoch.path("epoch").asInt());
                assertEquals(summary.trainLoss(), epoch.path("train_loss").asDouble(), 0, "train loss, epoch " + e);
                assertEquals(summary.trainAccuracy(), epoch.path("train_accuracy").asDouble(), 0);
                assertEquals(pgd.robust() / 1000.0, epoch.path("pgd-20").asDouble(), 0, "PGD-20, epoch " + (e + 1));
                assertEquals(pgd.correctClean() / 1000.0, epoch.path("clean").asDouble(), 0);
                assertTrue(epoch.path("piat_alpha").isNull());
            }
        }
        JsonNode configuration = result.path("configuration");
        assertEquals(0.5, configuration.path("learning_rate").asDouble());
        assertEquals(0.9, configuration.path("momentum").asDouble());
        assertEquals("mlp(hidden=64)", configuration.path("model").asText());
        assertEquals(1000, configuration.path("test_examples").asInt());
    }

    @Test
    void piatInterpolatesWithItsSchedule() {
        JsonNode epochs = arm("piat").path("epochs");
        double[] expected = {1.0 / 10, 2.0 / 11, 3.0 / 12};
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(expected[e], epochs.get(e).path("piat_alpha").asDouble(), 1e-12);
        }
        assertEquals("pgd-at", arm("piat").path("method").asText());
        assertTrue(arm("piat").path("piat").asBoolean());
    }

    @Test
    void bestFinalDiffAndOscillationFollowFromTheSeries() {
        for (JsonNode arm : result.path("methods")) {
            List<Double> robust = doubles(arm.path("series").path("pgd-20"));
            List<Double> clean = doubles(arm.path("series").path("clean"));
            assertEquals(EPOCHS, robust.size());
            assertEquals(EPOCHS, clean.size());
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals(arm.path("epochs").get(e).path("pgd-20").asDouble(), robust.get(e), 0);
            }
            int best = 0;
            for (int e = 1; e < EPOCHS; e++) {
                best = robust.get(e) > robust.get(best) ? e : best;
            }
            JsonNode bestNode = arm.path("best");
            JsonNode finalNode = arm.path("final");
            assertEquals(best + 1, bestNode.path("epoch").asInt(), "the first epoch of highest PGD-20");
            assertEquals(EPOCHS, finalNode.path("epoch").asInt());
            assertEquals(robust.get(best), bestNode.path("pgd-20").asDouble(), 0);
            assertEquals(clean.get(best), bestNode.path("clean").asDouble(), 0);
            assertEquals(robust.get(EPOCHS - 1), finalNode.path("pgd-20").asDouble(), 0);
            assertTrue(bestNode.path("pgd-20").asDouble() >= finalNode.path("pgd-20").asDouble());
            for (String metric : List.of("clean", "pgd-20")) {
                assertEquals(bestNode.path(metric).asDouble() - finalNode.path(metric).asDouble(),
                        arm.path("diff").path(metric).asDouble(), 0, metric + " diff");
            }
            // 3 epochs: second half t > 1, so both changes Δ₂ and Δ₃
            double d2 = robust.get(1) - robust.get(0);
            double d3 = robust.get(2) - robust.get(1);
            JsonNode oscillation = arm.path("oscillation");
            assertEquals(2, oscillation.path("from_epoch").asInt());
            assertEquals(Math.abs(d2 - d3) / 2, oscillation.path("std_change").asDouble(), 1e-12);
            assertEquals((Math.abs(d2) + Math.abs(d3)) / 2, oscillation.path("mean_abs_change").asDouble(), 1e-12);
            assertEquals(Math.max(0, Math.max(-d2, -d3)), oscillation.path("largest_drop").asDouble(), 1e-12);
            assertEquals(oscillation.path("largest_drop").asDouble(), oscillation.path("late_drop").asDouble(), 0,
                    "with 3 epochs the second half is every change");

            String label = arm.path("label").asText();
            String row = outcome.out().lines().filter(l -> l.startsWith(label + " ") && l.contains(percent(
                    finalNode.path("pgd-20").asDouble()))).reduce((a, b) -> b).orElse("");
            assertTrue(row.contains(percent(bestNode.path("pgd-20").asDouble()))
                    && row.contains(percent(arm.path("diff").path("pgd-20").asDouble())), "Best/Final/Diff row of "
                    + label + " in\n" + outcome.out());
        }
        assertTrue(outcome.out().contains("Robust accuracy (PGD-20, %) per epoch"), outcome.out());
        String epochTwo = outcome.out().lines().filter(l -> l.startsWith("2 ")).findFirst().orElse("");
        assertTrue(epochTwo.contains(percent(arm("pgd-at").path("epochs").get(1).path("pgd-20").asDouble()))
                && epochTwo.contains(percent(arm("piat").path("epochs").get(1).path("pgd-20").asDouble())), epochTwo);
        assertTrue(outcome.err().contains("[toy] PIAT") && outcome.err().contains("epoch 3/3"), outcome.err());
    }

    @Test
    void helpDocumentsTheFlags() {
        CommandRunner.Outcome help = CommandRunner.run("reproduce", "toy", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--epochs", "--seed", "--methods", "--eps", "--lr", "--json")) {
            assertTrue(help.out().contains(flag), flag + " in\n" + help.out());
        }
        CommandRunner.Outcome group = CommandRunner.run("reproduce");
        assertEquals(0, group.code());
        assertTrue(group.out().contains("toy") && group.out().contains("fashion-mnist"), group.out());
    }

    @Test
    void badFlagsAreNamed() {
        assertBad("--epochs must be at least 1, got 0", "--epochs", "0");
        assertBad("--methods: unknown method 'pgd'; known: pgd-at, alp, nmse, piat, piat-nmse", "--methods",
                "pgd-at,pgd");
        assertBad("--methods: piat is listed twice", "--methods", "piat,piat");
        assertBad("--eps must be in (0, 1] (inputs lie in [0,1]), got 2.0", "--eps", "2");
        assertBad("--lr must be a positive number, got -0.5", "--lr", "-0.5");
        assertBad("Unknown options: '--epoch'", "--epoch", "3");
        assertBad("Invalid value for option '--epochs'", "--epochs", "many");
    }

    private static void assertBad(String message, String... flags) {
        List<String> args = new ArrayList<>(List.of("reproduce", "toy"));
        args.addAll(List.of(flags));
        CommandRunner.Outcome bad = CommandRunner.run(args.toArray(String[]::new));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains(message), bad.err());
        assertTrue(bad.out().isEmpty(), "nothing trained: " + bad.out());
    }

    private static JsonNode arm(String id) {
        for (JsonNode arm : result.path("methods")) {
            if (arm.path("id").asText().equals(id)) {
                return arm;
            }
        }
        throw new AssertionError("no arm " + id + " in " + result);
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asDouble()));
        return values;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }
}
