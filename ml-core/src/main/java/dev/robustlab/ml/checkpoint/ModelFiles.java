package dev.robustlab.ml.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.TorchScriptModels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads a model file whatever its format, told apart by its first bytes: a Robustlab checkpoint ({@code RLCK},
 * {@link Checkpoints}, rebuilt from its own header) or a TorchScript file (a zip archive, {@code PK\3\4}, written by
 * {@code torch.jit.save}; {@link TorchScriptModels}). Either way the model must fit the data it is evaluated on: the
 * input shape and the number of classes are checked.
 */
public final class ModelFiles {
    private static final byte[] CHECKPOINT_MAGIC = {'R', 'L', 'C', 'K'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /** The model file formats this build reads. */
    public enum Format {
        /** A Robustlab checkpoint. */
        CHECKPOINT,
        /** A TorchScript archive. */
        TORCHSCRIPT
    }

    private ModelFiles() {
    }

    /**
     * The format of {@code file}, from its first bytes.
     *
     * @throws IllegalArgumentException naming the file and both accepted formats, if it is missing or neither
     */
    public static Format detect(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("model file is required");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist or is not a readable file");
        }
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        }
        if (Arrays.equals(magic, CHECKPOINT_MAGIC)) {
            return Format.CHECKPOINT;
        }
        if (Arrays.equals(magic, ZIP_MAGIC)) {
            return Format.TORCHSCRIPT;
        }
        throw new IllegalArgumentException("model file " + file + " is neither a Robustlab checkpoint (starts with "
                + "\"RLCK\") nor a TorchScript file (a zip archive written by torch.jit.save)");
    }

    /**
     * Loads the classifier in {@code file}, for evaluation and attacks (parameters frozen).
     *
     * @param file         a Robustlab checkpoint or a TorchScript file
     * @param exampleShape shape of one input of the data the model will see
     * @param classes      number of classes of that data
     * @param parent       the classifier's manager is created under it
     * @throws IllegalArgumentException naming the file, if it is missing, of another format, damaged, or does not
     *                                  fit inputs {@code exampleShape} and {@code classes} classes
     */
    public static Classifier load(Path file, Shape exampleShape, int classes, NDManager parent) {
        Format format = detect(file);
        if (format == Format.CHECKPOINT) {
            return checkpoint(file, exampleShape, classes, parent);
        }
        Classifier model = TorchScriptModels.load(file, exampleShape, parent);
        if (model.classes() != classes) {
            model.close();
            throw new IllegalArgumentException("TorchScript model " + file + " outputs " + model.classes()
                    + " logits, but the data has " + classes + " classes");
        }
        return model;
    }

    private static Classifier checkpoint(Path file, Shape exampleShape, int classes, NDManager parent) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        }
        try {
            Checkpoints.Header header = Checkpoints.header(bytes);
            if (!header.inputShape().equals(exampleShape) || header.classes() != classes) {
                throw new IllegalArgumentException("it holds " + header.description() + " on inputs "
                        + header.inputShape() + " with " + header.classes() + " classes, but the data has inputs "
                        + exampleShape + " and " + classes + " classes");
            }
            return Checkpoints.read(bytes, header.spec(), exampleShape, classes, parent);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
