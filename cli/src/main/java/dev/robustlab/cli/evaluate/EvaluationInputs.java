package dev.robustlab.cli.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.model.Classifier;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code robustlab evaluate} gets its test split and its model: the only place that knows which datasets and
 * model formats this build reads. For now: the generated {@code toy-circles} (the run spec's default size and seed,
 * {@code --data-dir} unused) and Robustlab checkpoints, whose architecture is read from the checkpoint's own header.
 */
public final class EvaluationInputs {
    /** Dataset names {@link #testSplit} reads. */
    public static final List<String> DATASETS = List.of(DatasetSpec.TOY_CIRCLES);
    /** The datasets and model formats, as the command's help shows them. */
    static final String DATASETS_HELP = "toy-circles (generated: 1000 test examples, seed 9551; --data-dir is not "
            + "used).";
    static final String MODELS_HELP = "A Robustlab checkpoint (as trainer-service writes them; the architecture is "
            + "read from its header).";

    private static final byte[] CHECKPOINT_MAGIC = {'R', 'L', 'C', 'K'};
    private static final Pattern MLP = Pattern.compile("mlp\\(hidden=(\\d+)\\)");

    private EvaluationInputs() {
    }

    /**
     * The test split of {@code dataset}.
     *
     * @param dataDir where the dataset's files are, or null for the dataset's default place
     * @throws IllegalArgumentException on an unknown dataset, or files that are missing or malformed
     */
    public static LabeledExamples testSplit(String dataset, Path dataDir) {
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "'; known: " + DATASETS);
        }
        DatasetSpec defaults = new RunSpec(null, new DatasetSpec(dataset, null, null, null), null, null, null, null,
                null, null, null, null, null).withDefaults().dataset();
        return Datasets.testSplit(defaults);
    }

    /**
     * The classifier in {@code file}, its parameters frozen, in a sub-manager of {@code manager}.
     *
     * @param exampleShape the shape of one input of the dataset it is evaluated on
     * @param classes      the dataset's number of classes
     * @throws IllegalArgumentException when the file is not a model this build reads, or not one for these inputs
     */
    public static Classifier loadModel(Path file, Shape exampleShape, int classes, NDManager manager) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Checkpoints.read(bytes, architecture(bytes), exampleShape, classes, manager);
    }

    /** The model spec a checkpoint names in its header ({@code mlp(hidden=64)}). */
    private static ModelSpec architecture(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(CHECKPOINT_MAGIC.length);
            if (!java.util.Arrays.equals(magic, CHECKPOINT_MAGIC)) {
                throw new IllegalArgumentException("not a Robustlab checkpoint (it does not start with RLCK); this "
                        + "build evaluates Robustlab checkpoints");
            }
            in.readInt();
            String description = in.readUTF();
            Matcher mlp = MLP.matcher(description);
            if (!mlp.matches()) {
                throw new IllegalArgumentException("the checkpoint's architecture '" + description + "' is not one "
                        + "this build knows (mlp(hidden=N))");
            }
            return new ModelSpec(ModelSpec.MLP, Integer.parseInt(mlp.group(1)));
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint is truncated: its header cannot be read", e);
        }
    }
}
