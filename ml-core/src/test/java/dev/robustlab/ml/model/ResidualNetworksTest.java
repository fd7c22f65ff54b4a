package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 32×32 architectures: parameter counts against the published ones, and the DJL blocks against the PyTorch modules
 * of {@code residual_networks.py} (the code the papers train with) on the same parameters and inputs.
 */
class ResidualNetworksTest {
    private static final Shape RGB_32 = new Shape(3, 32, 32);
    private static final String PYTHON = "/usr/bin/python3";
    /** The exit status of {@code residual_networks.py} when it cannot import torch or numpy. */
    private static final int NO_TORCH = 3;

    @TempDir
    Path dir;

    /**
     * One architecture and the counts PyTorch gives for it: {@code sum(p.numel() for p in model.parameters())} and
     * the BatchNorm running means and variances, printed by {@code residual_networks.py --count} (torch 1.13).
     */
    private record Published(ModelSpec spec, int classes, long parameters, long runningStatistics, String source) {
    }

    private static final List<Published> PUBLISHED = List.of(
            new Published(new ModelSpec(ModelSpec.RESNET18, null, null, null, "cifar10"), 10, 11_173_962, 9_600,
                    "ResNet-18 for CIFAR-10, 11.17 M (kuangliu/pytorch-cifar; the PIAT paper's ResNet-18)"),
            new Published(new ModelSpec(ModelSpec.RESNET18, null, null, null, "none"), 100, 11_220_132, 9_600,
                    "ResNet-18 with a 100-class head: 11,173,962 + 90 · 513"),
            new Published(new ModelSpec(ModelSpec.PREACT_RESNET18, null, null, null, "none"), 10, 11_172_170, 7_808,
                    "PreAct ResNet-18 of Rice et al. 2020 / AWP, with the final BN (512 γ + 512 β): the often quoted"
                            + " 11,171,146 is kuangliu's version without it"),
            new Published(new ModelSpec(ModelSpec.WRN, null, 34, 10, "cifar10"), 10, 46_160_474, 22_432,
                    "WRN-34-10, 46.16 M (TRADES, MART, AWP)"),
            new Published(new ModelSpec(ModelSpec.WRN, null, 32, 10, "cifar10"), 10, 46_160_474, 22_432,
                    "WRN-32-10 as Madry et al. count it: 5 blocks per group, the network of WRN-34-10"),
            new Published(new ModelSpec(ModelSpec.WRN, null, 28, 10, "none"), 10, 36_479_194, 17_952,
                    "WRN-28-10, 36.5 M (Zagoruyko and Komodakis 2016)"));

    @Test
    void parameterCountsAreThePublishedOnes() {
        for (Published p : PUBLISHED) {
            try (NDManager manager = MlEngine.newBaseManager();
                 Classifier model = Models.placeholder(p.spec(), RGB_32, p.classes(), manager)) {
                long trainable = ResidualNetworks.trainableParameterCount(model.parameters());
                long running = 0;
                for (Parameter parameter : model.parameters()) {
                    running += ResidualNetworks.isRunningStatistic(parameter) ? parameter.getArray().size() : 0;
                    assertEquals(!ResidualNetworks.isRunningStatistic(parameter), parameter.requiresGradient(),
                            parameter.getName());
                }
                assertEquals(p.parameters(), trainable, p.spec().describe() + ": " + p.source());
                assertEquals(p.runningStatistics(), running, p.spec().describe() + " running statistics");
            }
        }
    }

    @Test
    void theSmallestWrnClassifiesABatchOfTwo() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(ModelSpec.WRN, null, 10, 1, "cifar10"), RGB_32, 10, 3L,
                     manager)) {
            assertEquals(77_850, ResidualNetworks.trainableParameterCount(model.parameters()));
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 3, 32, 32));
            NDArray eval = model.logits(x, false);
            assertEquals(new Shape(2, 10), eval.getShape());
            assertEquals(new Shape(2, 10), model.logits(x, true).getShape());
            assertEquals("wrn(depth=10,width=1,normalization=cifar10)", model.description());
        }
    }

    @Test
    void residualNetworksNeed32By32ColourImages() {
        try (NDManager manager = MlEngine.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create(
                    new ModelSpec(ModelSpec.RESNET18, null, null, null, "none"), new Shape(1, 28, 28), 10, 1L,
                    manager));
            assertTrue(e.getMessage().contains("3×32×32"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Models.create(new ModelSpec(ModelSpec.WRN, null, 33,
                    10, null), RGB_32, 10, 1L, manager));
            IllegalArgumentException channels = assertThrows(IllegalArgumentException.class, () -> Models.create(
                    new ModelSpec(ModelSpec.SMALL_CNN, null, null, null, "cifar10"), new Shape(1, 28, 28), 10, 1L,
                    manager));
            assertTrue(channels.getMessage().contains("3 channel"), channels.getMessage());
        }
    }

    @Test
    void descriptionsRoundTrip() {
        for (ModelSpec spec : List.of(new ModelSpec(ModelSpec.MLP, 64), new ModelSpec(ModelSpec.SMALL_CNN, null),
                new ModelSpec(ModelSpec.SMALL_CNN, null, null, null, "fashion-mnist"),
                new ModelSpec(ModelSpec.RESNET18, null, null, null, "cifar10"),
                new ModelSpec(ModelSpec.PREACT_RESNET18, null, null, null, ModelSpec.NONE),
                new ModelSpec(ModelSpec.WRN, null, 34, 10, "svhn"))) {
            String description = Models.describe(spec);
            ModelSpec parsed = Models.parse(description);
            assertEquals(description, parsed.describe());
            assertEquals(spec.architecture(), parsed.architecture());
            assertEquals(spec.depth(), parsed.depth());
        }
        assertEquals("resnet18", Models.parse("resnet18").describe());
        for (String bad : List.of("vit", "wrn(depth=33,width=10)", "wrn(depth=34)", "mlp(hidden=x)",
                "resnet18(normalization=imagenet)", "mlp(hidden=4,hidden=5)", "small-cnn(hidden=4)")) {
            assertThrows(IllegalArgumentException.class, () -> Models.parse(bad), bad);
        }
    }

    /**
     * One configuration of the PyTorch comparison and its checked-in expectation (torch 1.13, for when Python with
     * torch is missing): the sums of the logits in training and in eval mode and of the running statistics after
     * the training-mode forward.
     */
    private record Comparison(String label, ModelSpec spec, int classes, long seed, double trainSum, double evalSum,
                              double runningSum) {
    }

    private static final List<Comparison> COMPARISONS = List.of(
            new Comparison("resnet18-cifar10", new ModelSpec(ModelSpec.RESNET18, null, null, null, "cifar10"), 10, 21L,
                    -1.889327, -0.258345, 4418.995113),
            new Comparison("preact-resnet18-cifar100", new ModelSpec(ModelSpec.PREACT_RESNET18, null, null, null,
                    "cifar100"), 100, 22L, 4.019684, 2.997079, 3590.712606),
            new Comparison("wrn-16-2-svhn", new ModelSpec(ModelSpec.WRN, null, 16, 2, "svhn"), 10, 23L,
                    1.500469, 3.360472, 902.871568));

    /**
     * Each architecture computes what its PyTorch module computes on the same parameters and inputs: the logits of a
     * training-mode forward (BatchNorm on batch statistics), the running statistics that forward leaves (momentum
     * 0.1, unbiased variance), then the logits in eval mode.
     */
    @Test
    void blocksComputeWhatThePyTorchModulesCompute() throws IOException, InterruptedException {
        // DJL first: the request files it writes are what Python reads, and its values are checked either way.
        Map<String, float[][]> djl = new HashMap<>();
        try (NDManager manager = MlEngine.newBaseManager();
             OutputStream bin = Files.newOutputStream(dir.resolve("request.bin"))) {
            List<String> request = new ArrayList<>();
            for (Comparison c : COMPARISONS) {
                try (Classifier model = Models.create(c.spec(), RGB_32, c.classes(), c.seed(), manager)) {
                    request.add("model " + c.label() + " " + c.spec().architecture() + " " + c.classes() + " "
                            + orDash(c.spec().depth()) + " " + orDash(c.spec().width()) + " "
                            + c.spec().normalization());
                    for (Parameter p : model.parameters()) {
                        float[] values = p.getArray().toFloatArray();
                        request.add("param " + shape(p.getArray().getShape()));
                        write(bin, values);
                    }
                    float[] input = uniform(4 * 3 * 32 * 32, Seeds.stream(c.seed(), "input"));
                    request.add("input 4x3x32x32");
                    write(bin, input);
                    NDArray x = manager.create(input, new Shape(4, 3, 32, 32));
                    float[] train = model.logits(x, true).toFloatArray();
                    float[] eval = model.logits(x, false).toFloatArray();
                    List<Float> running = new ArrayList<>();
                    for (Parameter.Type type : List.of(Parameter.Type.RUNNING_MEAN, Parameter.Type.RUNNING_VAR)) {
                        for (Parameter p : model.parameters()) {
                            if (p.getType() == type) {
                                for (float v : p.getArray().toFloatArray()) {
                                    running.add(v);
                                }
                            }
                        }
                    }
                    float[] runningValues = new float[running.size()];
                    for (int i = 0; i < runningValues.length; i++) {
                        runningValues[i] = running.get(i);
                    }
                    djl.put(c.label(), new float[][]{train, eval, runningValues});
                }
            }
            Files.write(dir.resolve("request.txt"), request);
        }
        Path script = TorchScriptFixture.directory().resolve("residual_networks.py");
        int exit = Files.isExecutable(Path.of(PYTHON))
                ? run(List.of(PYTHON, script.toString(), "--check", dir.toString())) : NO_TORCH;
        if (exit == NO_TORCH) {
            System.err.println("python3 with torch is not available: comparing with the checked-in sums");
            for (Comparison c : COMPARISONS) {
                float[][] values = djl.get(c.label());
                assertEquals(c.trainSum(), sum(values[0]), 1e-3 * Math.max(1, Math.abs(c.trainSum())), c.label());
                assertEquals(c.evalSum(), sum(values[1]), 1e-3 * Math.max(1, Math.abs(c.evalSum())), c.label());
                assertEquals(c.runningSum(), sum(values[2]), 1e-3 * Math.max(1, Math.abs(c.runningSum())),
                        c.label());
            }
            return;
        }
        assertEquals(0, exit, "the Python side failed");
        Map<String, Map<String, float[]>> expected = readExpected(dir.resolve("expected.txt"));
        for (Comparison c : COMPARISONS) {
            float[][] values = djl.get(c.label());
            Map<String, float[]> torch = expected.get(c.label());
            assertClose(torch.get("train"), values[0], 1e-4, c.label() + " training-mode logits");
            assertClose(torch.get("running"), values[2], 1e-5, c.label() + " running statistics");
            assertClose(torch.get("eval"), values[1], 1e-4, c.label() + " eval-mode logits");
            // the checked-in sums the test falls back on are PyTorch's
            assertEquals(c.trainSum(), sum(torch.get("train")), 1e-5, c.label());
            assertEquals(c.evalSum(), sum(torch.get("eval")), 1e-5, c.label());
            assertEquals(c.runningSum(), sum(torch.get("running")), 1e-3, c.label());
        }
    }

    private static String orDash(Integer value) {
        return value == null ? "-" : value.toString();
    }

    private static String shape(Shape shape) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < shape.dimension(); i++) {
            text.append(i == 0 ? "" : "x").append(shape.get(i));
        }
        return text.toString();
    }

    private static void write(OutputStream out, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        out.write(bytes.array());
    }

    private static float[] uniform(int n, SplittableRandom random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        assertTrue(worst <= tolerance, what + " differ by " + worst + " (relative)");
    }

    private static Map<String, Map<String, float[]>> readExpected(Path file) throws IOException {
        Map<String, Map<String, float[]>> models = new HashMap<>();
        Map<String, float[]> current = null;
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals("model")) {
                current = new HashMap<>();
                models.put(parts[1], current);
            } else if (current != null) {
                float[] values = new float[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    values[i - 1] = Float.parseFloat(parts[i]);
                }
                current.put(parts[0], values);
            }
        }
        return models;
    }

    private int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0) {
            System.err.println(Files.readString(dir.resolve("python.log")));
        }
        return process.exitValue();
    }
}
