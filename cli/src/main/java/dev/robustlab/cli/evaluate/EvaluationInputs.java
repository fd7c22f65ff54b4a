package dev.robustlab.cli.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.checkpoint.ModelFiles;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.ImageDatasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.model.Classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code robustlab evaluate} gets its test split and its model: the only place that knows which datasets and
 * model formats the command reads. Datasets: the generated {@code toy-circles} (the run spec's default size and
 * seed) and the image datasets of {@link ImageDatasets}. Models: whatever {@link ModelFiles} reads (Robustlab
 * checkpoints and TorchScript files).
 */
public final class EvaluationInputs {
    /** Dataset names {@link #testSplit} reads. */
    public static final List<String> DATASETS = datasets();
    /** The datasets and model formats, as the command's help shows them. */
    static final String DATASETS_HELP = "toy-circles (generated: 1000 test examples, seed 9551; --data-dir is not "
            + "used), fashion-mnist (IDX files, gzipped or not; default directory /usr/share/datasets/fashion-mnist, "
            + "Debian's dataset-fashion-mnist), cifar10, cifar100 (the binary versions), svhn (test_32x32.mat).";
    static final String MODELS_HELP = "A Robustlab checkpoint (as trainer-service writes them; the architecture is "
            + "read from its header) or a TorchScript file (.pt, traced or scripted, in eval mode, outputting logits "
            + "for inputs in [0,1]).";

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
        if (ImageDatasets.NAMES.contains(dataset)) {
            return ImageDatasets.load(dataset, ImageDatasets.TEST, dataDir);
        }
        DatasetSpec defaults = new RunSpec(null, new DatasetSpec(dataset, null, null, null), null, null, null, null,
                null, null, null, null, null).withDefaults().dataset();
        return Datasets.testSplit(defaults);
    }

    /**
     * The classifier in {@code file}, in a sub-manager of {@code manager}.
     *
     * @param exampleShape the shape of one input of the dataset it is evaluated on
     * @param classes      the dataset's number of classes
     * @throws IllegalArgumentException when the file is not a model this build reads, or not one for these inputs
     */
    public static Classifier loadModel(Path file, Shape exampleShape, int classes, NDManager manager) {
        return ModelFiles.load(file, exampleShape, classes, manager);
    }

    private static List<String> datasets() {
        List<String> names = new ArrayList<>();
        names.add(DatasetSpec.TOY_CIRCLES);
        names.addAll(ImageDatasets.NAMES);
        return List.copyOf(names);
    }
}
