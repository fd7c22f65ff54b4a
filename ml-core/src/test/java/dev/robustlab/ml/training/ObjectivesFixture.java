package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.robustlab.ml.model.Classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The values {@code training/objectives_reference.py} computes with PyTorch for a tiny model with BatchNorm:
 * freshly, when Debian's {@code /usr/bin/python3} imports torch, otherwise the checked-in
 * {@code objectives-expected.txt} the same script wrote. {@link #model} rebuilds the model in DJL.
 */
public final class ObjectivesFixture {
    /** Debian's python3 with torch; the system property {@code robustlab.python} overrides it (fallback tests). */
    static final String PYTHON = System.getProperty("robustlab.python", "/usr/bin/python3");

    private final Map<String, float[]> values;
    private final String source;

    private ObjectivesFixture(Map<String, float[]> values, String source) {
        this.values = values;
        this.source = source;
    }

    /** The fixture from Python if it runs here, else the checked-in file. */
    public static ObjectivesFixture load(Path scratch) {
        Path script = resource("objectives_reference.py");
        try {
            Path out = scratch.resolve("objectives-expected.txt");
            if (run(List.of(PYTHON, script.toString(), "--out", out.toString()), scratch) == 0) {
                return read(out, "python torch (run now)");
            }
            String log = Files.readString(scratch.resolve("python.log"));
            if (!log.contains("No module named 'torch'")) {
                throw new AssertionError("objectives_reference.py failed: " + log);
            }
        } catch (IOException e) {
            // no python at all: fall through to the checked-in values
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return checkedIn();
    }

    /** The checked-in values. */
    public static ObjectivesFixture checkedIn() {
        return read(resource("objectives-expected.txt"), "checked-in objectives-expected.txt");
    }

    /** Whether the values were computed by Python during this test run. */
    public boolean fromPython() {
        return source.startsWith("python");
    }

    /** The item names. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** Where the values come from, for messages. */
    public String source() {
        return source;
    }

    /** The numbers of an item. */
    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new AssertionError("no item '" + name + "' in " + source);
        }
        return v.clone();
    }

    /** A one-number item. */
    public double scalar(String name) {
        float[] v = get(name);
        if (v.length != 1) {
            throw new AssertionError(name + " has " + v.length + " numbers");
        }
        return v[0];
    }

    /** An item as a FLOAT32 array of {@code shape} in {@code manager}. */
    public NDArray array(String name, NDManager manager, long... shape) {
        return manager.create(get(name), new Shape(shape));
    }

    /** The batch (6, 5). */
    public NDArray x(NDManager manager, String name) {
        return array(name, manager, 6, 5);
    }

    /** The labels (6) INT64. */
    public NDArray labels(NDManager manager) {
        float[] y = get("y");
        long[] labels = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            labels[i] = Math.round(y[i]);
        }
        return manager.create(labels);
    }

    /** Linear(5→8) → BatchNorm(8) → ReLU → Linear(8→4) with the fixture's parameters and running statistics. */
    public Classifier model(NDManager parent) {
        NDManager manager = parent.newSubManager();
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
        Classifier model = Classifier.of(block, manager, "fixture-mlp-bn", new Shape(5), 4);
        List<Parameter> parameters = model.parameters();
        String[] names = {"w0", "b0", "gamma", "beta", "running_mean", "running_var", "w3", "b3"};
        String[] djlNames = {"weight", "bias", "gamma", "beta", "runningMean", "runningVar", "weight", "bias"};
        if (parameters.size() != names.length) {
            throw new AssertionError("the DJL block has " + parameters.size() + " parameters");
        }
        for (int i = 0; i < names.length; i++) {
            if (!parameters.get(i).getName().equals(djlNames[i])) {
                throw new AssertionError("parameter " + i + " is " + parameters.get(i).getName());
            }
            Shape shape = parameters.get(i).getArray().getShape();
            ParameterValues.assign(parameters.get(i), manager.create(get(names[i]), shape));
        }
        return model;
    }

    /** The parameter of {@code model} (built by {@link #model}) that holds the fixture's item. */
    public static Parameter parameter(Classifier model, String name) {
        List<String> names = List.of("w0", "b0", "gamma", "beta", "running_mean", "running_var", "w3", "b3");
        return model.parameters().get(names.indexOf(name));
    }

    static Path resource(String name) {
        try {
            return Path.of(ObjectivesFixture.class.getResource("/training/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectivesFixture read(Path file, String source) {
        Map<String, float[]> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                float[] numbers = new float[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    numbers[i - 1] = Float.parseFloat(parts[i]);
                }
                values.put(parts[0], numbers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ObjectivesFixture(values, source);
    }

    private static int run(List<String> command, Path scratch) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("python.log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
