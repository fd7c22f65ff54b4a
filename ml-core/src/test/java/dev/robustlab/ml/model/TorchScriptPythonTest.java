package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.AttackResult;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.robustlab.ml.model.TorchScriptFixture.inputGradient;
import static dev.robustlab.ml.model.TorchScriptFixture.maxDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A model written by Python torch at test time ({@code torchscript_models.py --arch small-cnn}, PyTorch's
 * initialisation, Robustlab's small-cnn architecture): Java reproduces Python's logits and input gradient from the
 * traced and the scripted file, and, with its parameters copied into {@link Models}' small-cnn, the DJL block gives
 * the same logits, gradients and PGD adversarial examples as the TorchScript model. Skipped when Debian's python3
 * cannot import torch.
 */
class TorchScriptPythonTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    private static TorchScriptFixture expected;

    @BeforeAll
    static void writeModelWithPython() throws IOException, InterruptedException {
        assumeTrue(run(List.of(PYTHON, "-c", "import torch")) == 0, "python3 with torch is not available");
        Path script = TorchScriptFixture.directory().resolve("torchscript_models.py");
        assertEquals(0, run(List.of(PYTHON, script.toString(), "--arch", "small-cnn", "--out", dir.toString(),
                "--seed", "11")), "the Python script failed");
        expected = TorchScriptFixture.read(dir, "small-cnn");
    }

    @Test
    void tracedAndScriptedGivePythonsLogitsAndInputGradient() {
        for (String file : List.of("small-cnn-traced.pt", "small-cnn-scripted.pt")) {
            try (NDManager manager = MlEngine.newBaseManager();
                 Classifier model = TorchScriptModels.load(dir.resolve(file), expected.inputShape(), manager)) {
                assertEquals(10, model.classes());
                NDArray x = expected.x(manager);
                float[] logits = model.logits(x, false).toFloatArray();
                assertTrue(maxDifference(expected.logits(), logits) <= 1e-5, file + ": logits differ by "
                        + maxDifference(expected.logits(), logits));
                float[] gradient = inputGradient(model, x, expected.y(manager));
                assertTrue(maxDifference(expected.gradient(), gradient) <= 1e-5, file + ": gradients differ by "
                        + maxDifference(expected.gradient(), gradient));
            }
        }
    }

    @Test
    void theEquivalentDjlBlockGivesTheSameLogitsGradientsAndAdversarialExamples() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier torchScript = TorchScriptModels.load(dir.resolve("small-cnn-scripted.pt"),
                     expected.inputShape(), manager);
             Classifier djl = Models.create(new ModelSpec(Models.SMALL_CNN, null), expected.inputShape(), 10, 1L,
                     manager)) {
            copyParameters(torchScript, djl);
            NDArray x = expected.x(manager);
            NDArray y = expected.y(manager);
            assertTrue(maxDifference(expected.logits(), djl.logits(x, false).toFloatArray()) <= 1e-5,
                    "the DJL small-cnn computes what the PyTorch nn.Sequential computes");
            assertTrue(maxDifference(inputGradient(torchScript, x, y), inputGradient(djl, x, y)) <= 1e-6);
            for (Attack attack : List.of(Pgd.builder().setEpsilon(0.1).setStepSize(0.01).optSteps(20).build(),
                    Pgd.builder().setEpsilon(1.0).setStepSize(0.2).optSteps(20).optNorm(Norm.L2).build())) {
                AttackResult onTorchScript = attack.run(torchScript, x, y, Seeds.stream(5, "python-pgd"));
                AttackResult onDjl = attack.run(djl, x, y, Seeds.stream(5, "python-pgd"));
                double difference = maxDifference(onTorchScript.adversarial().toFloatArray(),
                        onDjl.adversarial().toFloatArray());
                assertTrue(difference <= 1e-5, attack.id() + ": adversarial examples differ by " + difference);
                assertArrayEquals(onTorchScript.success(), onDjl.success(), attack.id());
            }
        }
    }

    /** PyTorch's and DJL's parameter lists of the architecture agree in order and shape: copy value by value. */
    private static void copyParameters(Classifier from, Classifier to) {
        List<Parameter> source = from.parameters();
        List<Parameter> target = to.parameters();
        assertEquals(8, source.size());
        assertEquals(source.size(), target.size());
        to.block().freezeParameters(true);
        for (int i = 0; i < source.size(); i++) {
            NDArray value = source.get(i).getArray();
            assertEquals(value.getShape(), target.get(i).getArray().getShape(), source.get(i).getName());
            float[] values = value.toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
            bytes.asFloatBuffer().put(values);
            target.get(i).getArray().set(bytes);
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0 && Files.exists(dir.resolve("python.log"))) {
            System.err.println(Files.readString(dir.resolve("python.log")));
        }
        return process.exitValue();
    }
}
