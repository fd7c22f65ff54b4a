package dev.robustlab.ml.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every objective's loss and parameter gradient on a tiny tanh MLP equal what PyTorch computes with the same
 * formulas written as in the methods' reference code ({@code training/objective_losses.py}). The script runs when
 * Debian's python3 imports torch; otherwise the test reads the script's checked-in output
 * ({@code objective_losses-expected.txt}), and when both exist they must agree. Java runs in float32 (as training
 * does), PyTorch in float64 on the same float32 numbers.
 */
class ObjectiveLossPythonTest {
    /** Debian's python3; {@code -Drobustlab.python=...} points elsewhere (a missing file tests the fallback). */
    private static final String PYTHON = System.getProperty("robustlab.python", "/usr/bin/python3");
    private static final ThreatModel THREAT = new ThreatModel("linf", 0.1, 0.025, 3);
    private static final Set<String> METHODS = Set.of(TrainingMethods.ALP, TrainingMethods.TRADES,
            TrainingMethods.MART, TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
            TrainingMethods.NMSE);

    @TempDir
    static Path dir;
    private static boolean pythonAvailable;
    private static ObjectiveFixture checkedIn;
    private static ObjectiveFixture expected;

    @BeforeAll
    static void computeWithPython() throws IOException, InterruptedException {
        checkedIn = ObjectiveFixture.read(ObjectiveFixture.directory().resolve("objective_losses-expected.txt"));
        pythonAvailable = run(List.of(PYTHON, "-c", "import torch")) == 0;
        if (pythonAvailable) {
            Path out = dir.resolve("objective_losses.txt");
            Path script = ObjectiveFixture.directory().resolve("objective_losses.py");
            assertEquals(0, run(List.of(PYTHON, script.toString(), "--out", out.toString())),
                    "objective_losses.py failed; see " + dir.resolve("python.log"));
            expected = ObjectiveFixture.read(out);
        } else {
            expected = checkedIn;
        }
    }

    @Test
    void everyObjectiveCoversItsDefaultsAndOtherValues() {
        Set<String> covered = new TreeSet<>();
        for (ObjectiveFixture.Case c : expected.cases()) {
            covered.add(c.method());
            assertEquals(TrainingMethods.defaults(c.method()).keySet(), c.parameters().keySet(), c.method());
        }
        assertEquals(new TreeSet<>(METHODS), covered);
        for (String method : METHODS) {
            assertTrue(expected.cases().stream().anyMatch(c -> c.method().equals(method)
                    && c.parameters().equals(TrainingMethods.defaults(method))), method + " at its defaults");
            assertTrue(expected.cases().stream().anyMatch(c -> c.method().equals(method)
                    && !c.parameters().equals(TrainingMethods.defaults(method))), method + " at other values");
        }
    }

    @Test
    void lossesAndGradientsMatchPyTorch() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            for (ObjectiveFixture.Case c : expected.cases()) {
                try (NDManager scope = manager.newSubManager();
                     Classifier model = expected.model(DataType.FLOAT32, scope)) {
                    TrainingObjective objective = Objectives.create(c.method(), c.parameters(), THREAT);
                    NDList inputs = new NDList(expected.clean(DataType.FLOAT32, scope),
                            expected.adversarial(DataType.FLOAT32, scope), expected.labels(scope));
                    TinyModels.Evaluation java = TinyModels.lossAndGradient(model, inputs, in ->
                            objective.loss(model, TinyModels.pair(in.get(0), in.get(1)), in.get(2)).loss());
                    String name = c.method() + " " + c.parameters();
                    assertClose(c.loss(), java.loss(), 2e-6, name + ": loss");
                    assertEquals(c.gradient().length, java.gradient().length, name + ": parameter count");
                    double scale = maxAbs(c.gradient());
                    for (int j = 0; j < c.gradient().length; j++) {
                        assertClose(c.gradient()[j], java.gradient()[j], 2e-6 * Math.max(1, scale),
                                name + ": gradient entry " + j);
                    }
                }
            }
        }
    }

    @Test
    void theCheckedInValuesAreTheScriptsOutput() {
        assumeTrue(pythonAvailable, "python3 with torch is not available: the checked-in values were used");
        assertEquals(expected.arrays().keySet(), checkedIn.arrays().keySet());
        for (String name : expected.arrays().keySet()) {
            double[] live = expected.arrays().get(name);
            double[] stored = checkedIn.arrays().get(name);
            assertEquals(live.length, stored.length, name);
            for (int j = 0; j < live.length; j++) {
                assertEquals(live[j], stored[j], 0.0, name + "[" + j + "]");
            }
        }
        assertEquals(expected.cases().size(), checkedIn.cases().size());
        for (int i = 0; i < expected.cases().size(); i++) {
            ObjectiveFixture.Case live = expected.cases().get(i);
            ObjectiveFixture.Case stored = checkedIn.cases().get(i);
            assertEquals(live.method(), stored.method());
            assertEquals(live.parameters(), stored.parameters());
            assertClose(live.loss(), stored.loss(), 1e-12, live.method() + ": regenerate the expected file");
            for (int j = 0; j < live.gradient().length; j++) {
                assertClose(live.gradient()[j], stored.gradient()[j], 1e-12, live.method() + ": gradient " + j);
            }
        }
    }

    /** |expected − actual| ≤ tolerance · max(1, |expected|). */
    private static void assertClose(double expected, double actual, double tolerance, String message) {
        double bound = tolerance * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= bound, message + ": expected " + expected + ", got " + actual
                + " (difference " + Math.abs(expected - actual) + " > " + bound + ")");
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(command.get(0)))) {
            return -1;
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
