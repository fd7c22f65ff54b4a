package dev.robustlab.cli.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.cli.Robustlab;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.OptimizerSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.evaluation.EvaluationConfig;
import dev.robustlab.ml.evaluation.EvaluationProgress;
import dev.robustlab.ml.evaluation.EvaluationResult;
import dev.robustlab.ml.evaluation.RangeEvaluator;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.TrainingRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code robustlab evaluate} end to end on toy-circles with a checkpoint trained here: its JSON holds what a direct
 * library call computes, the table shows it, --help documents the flags, bad flags are named, state files resume.
 */
class EvaluateCommandTest {
    // PGD-AT at ε = 0.05 on the default toy-circles data, so the default test split is the one it is evaluated on
    private static final RunSpec SPEC = new RunSpec("cli-test", new DatasetSpec(DatasetSpec.TOY_CIRCLES, 1000, null,
            null), new ModelSpec(ModelSpec.MLP, 32), new TrainingSpec(TrainingSpec.PGD_AT, null), 4, 64,
            new OptimizerSpec(null, 0.1, null, null), null, new ThreatModel(null, 0.05, null, 3), null, 11L)
            .withDefaults();

    @TempDir
    static Path directory;
    private static Path checkpoint;
    private static byte[] bytes;

    @BeforeAll
    static void train() throws Exception {
        try (TrainingRun run = TrainingRun.start(SPEC)) {
            for (int e = 0; e < SPEC.epochs(); e++) {
                run.trainEpoch();
            }
            bytes = run.checkpoint();
        }
        checkpoint = directory.resolve("toy.rlck");
        Files.write(checkpoint, bytes);
    }

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
    void writesTheFlagsAndAccuraciesOfADirectLibraryCall() throws Exception {
        Path json = directory.resolve("out/result.json");
        Outcome outcome = run("evaluate", "--model", checkpoint.toString(), "--dataset", "toy-circles",
                "--offset", "40", "--limit", "200", "--attacks", "fgsm,pgd-20,cw-inf", "--seed", "3",
                "--batch-size", "64", "--json", json.toString());
        assertEquals(0, outcome.code(), outcome.err());

        LabeledExamples test = Datasets.testSplit(SPEC.dataset());
        EvaluationConfig config = EvaluationConfig.builder().setModelSha256(EvaluationConfig.sha256(bytes))
                .setDataset("toy-circles").setRange(40, 200).setEpsilon(0.1)
                .optAttacks(List.of("fgsm", "pgd-20", "cw-inf")).optSeed(3).optBatchSize(64).build();
        EvaluationResult expected;
        try (NDManager manager = MlEngine.newBaseManager()) {
            Classifier model = Checkpoints.read(bytes, SPEC.model(), test.exampleShape(), test.classes(), manager);
            expected = RangeEvaluator.evaluate(model, test, config, null, EvaluationProgress.NONE, manager);
        }
        assertTrue(expected.robustAccuracy() < expected.cleanAccuracy() && expected.robustAccuracy() > 0,
                "a model the attacks partly break: " + expected.cleanAccuracy() + " " + expected.robustAccuracy());

        JsonNode result = EventJson.mapper().readTree(json.toFile());
        assertArrayEquals(expected.robust(), booleans(result.path("robust_flags")));
        assertArrayEquals(expected.clean(), booleans(result.path("clean_flags")));
        assertEquals(expected.cleanAccuracy(), result.path("clean_accuracy").asDouble(), 0);
        assertEquals(expected.robustAccuracy(), result.path("robust_accuracy").asDouble(), 0);
        List<String> order = new ArrayList<>();
        result.path("per_attack").fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("fgsm", "pgd-20", "cw-inf"), order, "per_attack in the order the attacks ran");
        for (int k = 0; k < 3; k++) {
            assertEquals(expected.robustAccuracyAfter(k), result.path("per_attack").path(order.get(k)).asDouble(), 0);
        }
        assertTrue(result.path("seconds").asDouble() > 0);
        JsonNode configuration = result.path("configuration");
        assertEquals(40, configuration.path("offset").asInt());
        assertEquals(200, configuration.path("limit").asInt());
        assertEquals(0.1, configuration.path("eps").asDouble());
        assertEquals(0.025, configuration.path("step_size").asDouble());
        assertEquals(EvaluationConfig.sha256(bytes), configuration.path("model_sha256").asText());

        String cw = String.format(java.util.Locale.ROOT, "%.2f", 100 * expected.robustAccuracyAfter(2));
        assertTrue(outcome.out().lines().anyMatch(l -> l.startsWith("after cw-inf") && l.contains(cw)),
                outcome.out());
        assertTrue(outcome.out().lines().anyMatch(l -> l.startsWith("robust (final)")), outcome.out());
        assertTrue(outcome.err().contains("200/200 examples"), "progress on stderr: " + outcome.err());
    }

    @Test
    void aSuiteByDefaultAndAResumableStateFile() throws Exception {
        Path state = directory.resolve("state.json");
        Outcome first = run("evaluate", "--model", checkpoint.toString(), "--dataset", "toy-circles", "--limit", "16",
                "--batch-size", "8", "--state", state.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("AutoAttack standard"), first.out());
        assertTrue(first.out().contains("after apgd-t (skipped)"), first.out());
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("after fab-t") && !l.contains("skipped")),
                first.out());
        assertTrue(Files.exists(state));

        Outcome again = run("evaluate", "--model", checkpoint.toString(), "--dataset", "toy-circles", "--limit", "16",
                "--batch-size", "8", "--state", state.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(first.out().lines().skip(1).toList(), again.out().lines().skip(1).toList(),
                "the finished state gives the same table");

        Outcome other = run("evaluate", "--model", checkpoint.toString(), "--dataset", "toy-circles", "--limit", "16",
                "--batch-size", "8", "--eps", "0.05", "--state", state.toString());
        assertEquals(1, other.code());
        assertTrue(other.err().contains("--state " + state) && other.err().contains("its eps is 0.1, this "
                + "evaluation's is 0.05; delete " + state), other.err());
    }

    @Test
    void helpDocumentsEveryFlagAndItsDefault() {
        Outcome help = run("evaluate", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--model", "--dataset", "--data-dir", "--limit", "--offset", "--eps", "--norm",
                "--suite", "--attacks", "--step-size", "--seed", "--batch-size", "--json", "--state")) {
            assertTrue(help.out().contains(flag), flag + " in\n" + help.out());
        }
        for (String text : List.of("8/255", "default: linf", "standard", "ε/4", "default: 256", "Exit status")) {
            assertTrue(help.out().contains(text), text + " in\n" + help.out());
        }
        assertTrue(run("--help").out().contains("evaluate"));
    }

    @Test
    void badFlagsAreNamed() throws Exception {
        String model = checkpoint.toString();
        usage(List.of("evaluate", "--dataset", "toy-circles"), "--model");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--norm", "l3"), "--norm");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--suite", "standard", "--attacks",
                "fgsm"), "mutually exclusive");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--suite", "fast"),
                "--suite: unknown suite 'fast'");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--attacks", "pgd-20,nope"),
                "--attacks: unknown attack 'nope'");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--attacks", "apgd-t"),
                "--attacks: 'apgd-t' needs at least 4 classes; toy-circles has 2");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--attacks", "fgsm,pgd-20,fgsm"),
                "--attacks: fgsm is listed twice");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--limit", "0"), "--limit");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--offset", "-1"), "--offset");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--offset", "999", "--limit", "5"),
                "--offset 999 --limit 5");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--batch-size", "0"),
                "--batch-size");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--eps", "abc"), "--eps");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--eps", "2"), "--eps");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--norm", "l2"),
                "--eps is required with --norm l2 on toy-circles");
        usage(List.of("evaluate", "--model", model, "--dataset", "toy-circles", "--seed", "x"), "--seed");
        usage(List.of("evaluate", "--model", directory.resolve("missing.rlck").toString(), "--dataset",
                "toy-circles"), "--model: no file");

        usage(List.of("evaluate", "--model", model, "--dataset", "nope"), "--dataset: unknown dataset 'nope'");
        Path garbage = directory.resolve("garbage.pt");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Outcome bad = run("evaluate", "--model", garbage.toString(), "--dataset", "toy-circles", "--limit", "4");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--model " + garbage + ": model file " + garbage
                + " is neither a Robustlab checkpoint"), bad.err());
    }

    private static void usage(List<String> args, String named) {
        Outcome outcome = run(args.toArray(String[]::new));
        assertEquals(2, outcome.code(), args + ": " + outcome.err());
        assertTrue(outcome.err().contains(named), args + " names " + named + ":\n" + outcome.err());
    }

    private static boolean[] booleans(JsonNode array) {
        boolean[] flags = new boolean[array.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = array.get(i).asBoolean();
        }
        return flags;
    }
}
