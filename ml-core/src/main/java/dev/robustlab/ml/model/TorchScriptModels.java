package dev.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import dev.robustlab.ml.engine.Seeds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Classifiers from TorchScript files: a module saved with {@code torch.jit.save} after {@code torch.jit.trace} or
 * {@code torch.jit.script}, whose {@code forward} maps a batch {@code (B, inputShape...)} to logits
 * {@code (B, classes)}.
 *
 * <p>The module runs in evaluation mode ({@code module.eval()}: BatchNorm on its running statistics, dropout off)
 * with frozen parameters, and gradients flow to its input, so every attack works on it as on a DJL block. A traced
 * module keeps the mode it was traced in whatever {@code eval()} says, so it must be traced after
 * {@code model.eval()}; loading checks that the logits of an example depend neither on the rest of its batch nor on
 * the call, which a module traced in training mode fails. The classifier is for evaluation: it cannot be trained or
 * written as a Robustlab checkpoint.
 *
 * <pre>{@code
 * # Python
 * torch.jit.save(torch.jit.script(model.eval()), "model.pt")
 * // Java
 * try (Classifier model = TorchScriptModels.load(Path.of("model.pt"), new Shape(1, 28, 28), manager)) { ... }
 * }</pre>
 */
public final class TorchScriptModels {
    private static final int PROBE_BATCH = 2;

    private TorchScriptModels() {
    }

    /**
     * Loads a TorchScript classifier; its number of classes is the width of its output on a probe batch.
     *
     * @param file       a {@code .pt} file written by {@code torch.jit.save}
     * @param inputShape shape of one input, e.g. {@code (1, 28, 28)}
     * @param parent     the classifier's own manager (which holds the module) is created under it; a manager of
     *                   the PyTorch engine
     * @throws IllegalArgumentException naming the file, if it is missing, is not TorchScript, does not accept inputs
     *                                  of this shape, does not output logits {@code (B, classes)}, or does not run in
     *                                  evaluation mode
     */
    public static Classifier load(Path file, Shape inputShape, NDManager parent) {
        if (file == null) {
            throw new IllegalArgumentException("TorchScript model file is required");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("TorchScript model file " + file + " does not exist or is not a "
                    + "readable file");
        }
        if (inputShape == null || inputShape.dimension() == 0 || inputShape.size() < 1) {
            throw new IllegalArgumentException("input shape of " + file + " must have at least one dimension, got "
                    + inputShape);
        }
        NDManager manager = parent.newSubManager();
        try {
            if (!(manager instanceof PtNDManager pytorch)) {
                throw new IllegalArgumentException("TorchScript models need a manager of the PyTorch engine, got "
                        + parent.getEngine().getEngineName());
            }
            PtSymbolBlock module = loadModule(file, pytorch);
            JniUtils.enableInferenceMode(module);
            module.freezeParameters(true);
            int classes = probe(module, file, inputShape, manager);
            TorchScriptBlock block = new TorchScriptBlock(module, file.toString(), inputShape, classes);
            return Classifier.of(block, manager, "torchscript(" + file.getFileName() + ")", inputShape, classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static PtSymbolBlock loadModule(Path file, PtNDManager manager) {
        try {
            // trainParam = true: DJL otherwise loads under libtorch's inference mode, whose tensors refuse autograd
            return JniUtils.loadModule(manager, file, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a TorchScript file that libtorch can load (write one "
                    + "with torch.jit.save(torch.jit.script(model.eval()), path) or torch.jit.trace; a torch.save of a "
                    + "model or state_dict is not TorchScript): " + summary(e), e);
        }
    }

    /** Runs the module on a probe batch and a single example; returns the number of classes. */
    private static int probe(PtSymbolBlock module, Path file, Shape inputShape, NDManager manager) {
        Shape batchShape = new Shape(PROBE_BATCH).addAll(inputShape);
        SplittableRandom random = Seeds.stream(0, "torchscript-probe");
        float[] values = new float[Math.toIntExact(batchShape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray batch = scope.create(values, batchShape);
            float[] first = logits(module, file, batch, inputShape);
            float[] again = logits(module, file, batch, inputShape);
            float[] alone = logits(module, file, batch.get("0:1"), inputShape);
            int classes = first.length / PROBE_BATCH;
            double scale = 1;
            for (float v : first) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < first.length; i++) {
                boolean repeatable = Math.abs(first[i] - again[i]) <= 1e-5 * scale;
                boolean batchFree = i >= classes || Math.abs(first[i] - alone[i]) <= 1e-4 * scale;
                if (!repeatable || !batchFree) {
                    throw new IllegalArgumentException("TorchScript model " + file + " does not run in evaluation "
                            + "mode: the logits of an example " + (repeatable ? "depend on the rest of its batch"
                            : "change from call to call") + " (BatchNorm or dropout in training mode?); trace or "
                            + "script the model after model.eval()");
                }
            }
            return classes;
        }
    }

    /** The logits of {@code batch} as floats, after checking they are one FLOAT32 array {@code (B, classes ≥ 2)}. */
    private static float[] logits(PtSymbolBlock module, Path file, NDArray batch, Shape inputShape) {
        NDList outputs;
        try {
            outputs = TorchScriptBlock.run(module, new NDList(batch));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TorchScript model " + file + " fails on a batch of inputs of shape "
                    + batch.getShape() + " (one input: " + inputShape + "): " + summary(e), e);
        }
        long rows = batch.getShape().get(0);
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("TorchScript model " + file + " returns " + outputs.size()
                    + " outputs; expected one tensor of logits (B, classes)");
        }
        NDArray logits = outputs.singletonOrThrow();
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || shape.get(0) != rows || shape.get(1) < 2) {
            throw new IllegalArgumentException("TorchScript model " + file + " returns an output of shape " + shape
                    + " for " + rows + " inputs; expected logits (" + rows + ", classes) with at least 2 classes");
        }
        if (logits.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("TorchScript model " + file + " returns " + logits.getDataType()
                    + " logits; expected FLOAT32");
        }
        return logits.toFloatArray();
    }

    /**
     * The informative line of a libtorch error: the interpreter's last {@code RuntimeError: …} line when there is a
     * TorchScript traceback, else the first line.
     */
    private static String summary(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int start = message.lastIndexOf("Error: ");
        start = start < 0 ? 0 : message.lastIndexOf('\n', start) + 1;
        int end = message.indexOf('\n', start);
        return (end < 0 ? message.substring(start) : message.substring(start, end)).strip();
    }
}
