package dev.robustlab.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.cli.Robustlab;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.training.EpochSummary;
import dev.robustlab.ml.training.TrainingRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code robustlab train}: a spec file trained by the command gives the epochs and the checkpoint a direct
 * {@link TrainingRun} of the same spec gives; unknown fields and invalid values are refused by name.
 */
class TrainCommandTest {
    private static final String SPEC = "{\"name\": \"t\", \"dataset\": {\"name\": \"toy-circles\","
            + " \"trainSize\": 400}, \"training\": {\"method\": \"pgd-at\", \"piat\": {\"enabled\": true}},"
            + " \"epochs\": 2, \"batchSize\": 64, \"optimizer\": {\"learningRate\": 0.2},"
            + " \"threatModel\": {\"epsilon\": 0.05, \"steps\": 3}, \"seed\": 4}";

    @TempDir
    Path directory;

    /** The outcome of one command line. */
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new Robustlab());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void trainsWhatADirectRunOfTheSpecTrains() throws Exception {
        Path spec = Files.writeString(directory.resolve("spec.json"), SPEC);
        Path json = directory.resolve("out/train.json");
        Path checkpoint = directory.resolve("out/run.rlck");
        Outcome outcome = run("train", "--spec", spec.toString(), "--json", json.toString(), "--checkpoint",
                checkpoint.toString());
        assertEquals(0, outcome.code(), outcome.err());

        RunSpec expectedSpec = EventJson.mapper().readValue(SPEC, RunSpec.class).withDefaults();
        JsonNode result = EventJson.mapper().readTree(json.toFile());
        assertEquals(EventJson.mapper().valueToTree(expectedSpec).toString(), result.path("spec").toString(),
                "the spec with defaults");
        JsonNode epochs = result.path("epochs");
        assertEquals(2, epochs.size());
        double sum = 0;
        try (TrainingRun direct = TrainingRun.start(expectedSpec)) {
            for (int e = 0; e < 2; e++) {
                EpochSummary summary = direct.trainEpoch();
                JsonNode epoch = epochs.get(e);
                assertEquals(e + 1, epoch.path("epoch").asInt());
                assertEquals(summary.trainLoss(), epoch.path("train_loss").asDouble(), 0);
                assertEquals(summary.trainAccuracy(), epoch.path("train_accuracy").asDouble(), 0);
                assertEquals(summary.piatAlpha(), epoch.path("piat_alpha").asDouble(), 0);
                assertTrue(epoch.path("seconds").asDouble() > 0);
                sum += epoch.path("seconds").asDouble();
            }
            assertArrayEquals(direct.checkpoint(), Files.readAllBytes(checkpoint), "the final checkpoint");
        }
        assertEquals(sum, result.path("seconds").asDouble(), 1e-9);
        assertTrue(outcome.out().lines().anyMatch(l -> l.startsWith("2 ") && l.contains(String.format(
                java.util.Locale.ROOT, "%.4f", epochs.get(1).path("train_loss").asDouble()))), outcome.out());
        assertTrue(outcome.err().contains("[train] epoch 2/2"), outcome.err());
    }

    @Test
    void refusesBadSpecsAndFlagsByName() throws Exception {
        Path unknown = Files.writeString(directory.resolve("unknown.json"), "{\"dataset\": {\"name\": \"toy-circles\"},"
                + " \"epocs\": 3}");
        Outcome typo = run("train", "--spec", unknown.toString());
        assertEquals(1, typo.code());
        assertTrue(typo.err().contains("Unrecognized field \"epocs\""), typo.err());

        Path invalid = Files.writeString(directory.resolve("invalid.json"), "{\"dataset\": {\"name\": \"toy-circles\"},"
                + " \"epochs\": 0, \"model\": {\"architecture\": \"vgg\"}}");
        Outcome bad = run("train", "--spec", invalid.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("invalid run spec: ") && bad.err().contains("epochs ")
                && bad.err().contains("model.architecture "), bad.err());

        Outcome missing = run("train", "--spec", directory.resolve("none.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--spec: no file"), missing.err());
        Outcome noSpec = run("train");
        assertEquals(2, noSpec.code());
        assertTrue(noSpec.err().contains("Missing required option: '--spec=FILE'"), noSpec.err());

        Outcome help = run("train", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--spec", "--data-dir", "--checkpoint", "--json")) {
            assertTrue(help.out().contains(flag), flag);
        }
    }
}
