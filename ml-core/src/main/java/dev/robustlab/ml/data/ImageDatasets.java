package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image datasets read from their published files: {@code fashion-mnist} (IDX, gzipped or not), {@code cifar10}
 * and {@code cifar100} (binary version), {@code svhn} (MAT-files). Examples are channels first, {@code (C, H, W)},
 * with values {@code p / 255} for the 8-bit pixel p, so inputs live in [0,1]; they are held as bytes (see
 * {@link LabeledExamples#ofPixels}).
 *
 * <table>
 *   <caption>Datasets, their shapes and files</caption>
 *   <tr><th>name</th><th>example</th><th>classes</th><th>train / test</th><th>files in the directory</th></tr>
 *   <tr><td>fashion-mnist</td><td>(1, 28, 28)</td><td>10</td><td>60000 / 10000</td>
 *       <td>{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]; default /usr/share/datasets/fashion-mnist</td></tr>
 *   <tr><td>cifar10</td><td>(3, 32, 32)</td><td>10</td><td>50000 / 10000</td>
 *       <td>[cifar-10-batches-bin/]data_batch_{1..5}.bin, test_batch.bin</td></tr>
 *   <tr><td>cifar100</td><td>(3, 32, 32)</td><td>100 (fine labels)</td><td>50000 / 10000</td>
 *       <td>[cifar-100-binary/]train.bin, test.bin</td></tr>
 *   <tr><td>svhn</td><td>(3, 32, 32)</td><td>10 (digit 0 is label 0)</td><td>73257 / 26032</td>
 *       <td>train_32x32.mat, test_32x32.mat (MAT v5, v7.3 is refused)</td></tr>
 * </table>
 *
 * <p>A missing or malformed file throws a {@link DatasetFileException} that names it, says what was expected and
 * found, and what to do.
 */
public final class ImageDatasets {
    /** {@code fashion-mnist}: Zalando's Fashion-MNIST. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** {@code cifar10}: CIFAR-10. */
    public static final String CIFAR10 = "cifar10";
    /** {@code cifar100}: CIFAR-100, with its 100 fine labels. */
    public static final String CIFAR100 = "cifar100";
    /** {@code svhn}: Street View House Numbers, cropped digits. */
    public static final String SVHN = "svhn";
    /** Dataset names this class reads, in this order. */
    public static final List<String> NAMES = List.of(FASHION_MNIST, CIFAR10, CIFAR100, SVHN);
    /** The training split. */
    public static final String TRAIN = "train";
    /** The test split. */
    public static final String TEST = "test";
    /** Splits every dataset has. */
    public static final List<String> SPLITS = List.of(TRAIN, TEST);
    /** A {@code count} that means: up to the end of the split. */
    public static final int ALL = -1;

    private static final Map<String, ImageDataset> DATASETS = Map.of(FASHION_MNIST, new FashionMnist(),
            CIFAR10, Cifar.CIFAR10, CIFAR100, Cifar.CIFAR100, SVHN, new Svhn());

    private ImageDatasets() {
    }

    /**
     * All examples of {@code split} of dataset {@code name}.
     *
     * @param directory where the files are; {@code null} for {@link #defaultDirectory(String)}
     * @throws IllegalArgumentException on an unknown name or split, or no directory where there is no default
     * @throws DatasetFileException     on a missing or malformed file
     */
    public static LabeledExamples load(String name, String split, Path directory) {
        return load(name, split, directory, 0, ALL);
    }

    /**
     * Examples {@code [offset, offset + count)} of {@code split}, reading only what precedes the range and the range
     * itself, and keeping only the range in memory: for an evaluation shard.
     *
     * @param count number of examples, or {@link #ALL} for all from {@code offset} on
     * @throws IllegalArgumentException if the range is not inside the split, and as {@link #load(String, String,
     *                                  Path)}
     */
    public static LabeledExamples load(String name, String split, Path directory, int offset, int count) {
        ImageDataset dataset = dataset(name);
        return dataset.read(directory(name, dataset, directory), checkSplit(split), offset, count);
    }

    /** Number of examples of {@code split}, read from the file headers (or sizes) only; throws as {@code load}. */
    public static int size(String name, String split, Path directory) {
        ImageDataset dataset = dataset(name);
        return dataset.size(directory(name, dataset, directory), checkSplit(split));
    }

    /** Shape of one example of dataset {@code name}, e.g. {@code (3, 32, 32)}. */
    public static Shape exampleShape(String name) {
        return dataset(name).exampleShape();
    }

    /** Number of classes of dataset {@code name}. */
    public static int classes(String name) {
        return dataset(name).classes();
    }

    /**
     * Where dataset {@code name} is read from when no directory is given: {@code /usr/share/datasets/fashion-mnist}
     * (Debian's {@code dataset-fashion-mnist}) for Fashion-MNIST, whether installed or not; empty for the others,
     * which no distribution packages.
     */
    public static Optional<Path> defaultDirectory(String name) {
        dataset(name);
        return FASHION_MNIST.equals(name) ? Optional.of(FashionMnist.DEFAULT_DIRECTORY) : Optional.empty();
    }

    private static ImageDataset dataset(String name) {
        ImageDataset dataset = name == null ? null : DATASETS.get(name);
        if (dataset == null) {
            throw new IllegalArgumentException("unknown image dataset '" + name + "'; known: " + NAMES);
        }
        return dataset;
    }

    private static String checkSplit(String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("unknown split '" + split + "'; known: " + SPLITS);
        }
        return split;
    }

    private static Path directory(String name, ImageDataset dataset, Path directory) {
        Path dir = directory != null ? directory : defaultDirectory(name).orElseThrow(() ->
                new IllegalArgumentException("dataset " + name + " has no default directory: give the directory "
                        + "that holds its files (--data-dir)"));
        if (!Files.isDirectory(dir)) {
            throw new DatasetFileException(dir, Files.exists(dir) ? "expected the " + name + " directory, found a "
                    + "file" : "directory not found", dataset.remedy());
        }
        return dir;
    }
}
