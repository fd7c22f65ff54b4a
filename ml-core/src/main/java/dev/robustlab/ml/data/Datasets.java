package dev.robustlab.ml.data;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.ml.engine.Seeds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the splits a {@link DatasetSpec} names.
 *
 * <p>Generated datasets ({@code toy-circles}) draw the train and test splits from independent streams of
 * {@link DatasetSpec#seed()}, so the test split does not depend on the size of the train split and
 * {@link #testSplit(DatasetSpec)} gives the same examples as {@link #load(DatasetSpec)}.
 *
 * <p>Image datasets ({@link ImageDatasets}: fashion-mnist, cifar10, cifar100, svhn) are read from their published
 * files: the first {@code trainSize} examples of the train split and the first {@code testSize} of the test split.
 * The files of dataset {@code name} are looked for in {@code <data root>/<name>} (e.g. {@code /data/cifar10}, holding
 * {@code cifar-10-batches-bin/} or its files), and, where that directory does not exist, in the dataset's default
 * directory ({@link ImageDatasets#defaultDirectory}: Debian's {@code /usr/share/datasets/fashion-mnist}). The data root
 * is the workers' {@code robustlab.data-dir}; null means: default directories only.
 */
public final class Datasets {
    /** Dataset ids this build knows. */
    public static final Set<String> KNOWN = Set.copyOf(DatasetSpec.NAMES);

    private Datasets() {
    }

    /**
     * Both splits of {@code spec}, image datasets from their default directory.
     *
     * @throws IllegalArgumentException on an unknown dataset or a missing size or seed
     */
    public static DatasetSplits load(DatasetSpec spec) {
        return load(spec, null);
    }

    /**
     * Both splits of {@code spec}.
     *
     * @param dataRoot where image datasets live, one directory per dataset id; null for the default directories
     * @throws IllegalArgumentException   on an unknown dataset, a missing size or seed, a split smaller than the spec
     *                                    asks for, or an image dataset with no directory
     * @throws DatasetFileException on a missing or malformed file
     */
    public static DatasetSplits load(DatasetSpec spec, Path dataRoot) {
        return new DatasetSplits(trainSplit(spec, dataRoot), testSplit(spec, dataRoot));
    }

    /** The train split of {@code spec} alone (the first {@code trainSize} examples); throws as {@link #load}. */
    public static LabeledExamples trainSplit(DatasetSpec spec, Path dataRoot) {
        check(spec);
        return split(spec, ImageDatasets.TRAIN, spec.trainSize(), dataRoot);
    }

    /** The test split of {@code spec} alone; the same examples as {@code load(spec).test()}. */
    public static LabeledExamples testSplit(DatasetSpec spec) {
        return testSplit(spec, null);
    }

    /** The test split of {@code spec} alone (the first {@code testSize} examples); throws as {@link #load}. */
    public static LabeledExamples testSplit(DatasetSpec spec, Path dataRoot) {
        check(spec);
        return split(spec, ImageDatasets.TEST, spec.testSize(), dataRoot);
    }

    /**
     * Test examples {@code [offset, offset + count)} of {@code spec}, reading (for an image dataset) only what the
     * range needs: for an evaluation shard.
     *
     * @throws IllegalArgumentException if the range is not inside the spec's test split, and as {@link #load}
     */
    public static LabeledExamples testShard(DatasetSpec spec, Path dataRoot, int offset, int count) {
        check(spec);
        if (offset < 0 || count < 1 || (long) offset + count > spec.testSize()) {
            throw new IllegalArgumentException("shard [" + offset + ", " + ((long) offset + count)
                    + ") is outside the test split of " + spec.testSize() + " examples");
        }
        if (!ImageDatasets.NAMES.contains(spec.name())) {
            return testSplit(spec, dataRoot).slice(offset, count);
        }
        Path directory = directory(spec.name(), dataRoot);
        requireSize(spec.name(), ImageDatasets.TEST, spec.testSize(), directory);
        return ImageDatasets.load(spec.name(), ImageDatasets.TEST, directory, offset, count);
    }

    /**
     * Where the files of image dataset {@code name} are read from: {@code <dataRoot>/<name>} if it is a directory,
     * else the dataset's default directory.
     *
     * @throws IllegalArgumentException if neither exists, naming both and the configuration key
     */
    public static Path directory(String name, Path dataRoot) {
        Optional<Path> fallback = ImageDatasets.defaultDirectory(name);
        if (dataRoot != null && Files.isDirectory(dataRoot.resolve(name))) {
            return dataRoot.resolve(name);
        }
        if (fallback.isPresent() && Files.isDirectory(fallback.get())) {
            return fallback.get();
        }
        throw new IllegalArgumentException("no directory with the files of dataset " + name + ": looked for "
                + (dataRoot == null ? "<data dir>/" + name + " (no data directory is configured: set "
                + "robustlab.data-dir / ROBUSTLAB_DATA_DIR)" : dataRoot.resolve(name).toString())
                + fallback.map(p -> " and " + p).orElse(""));
    }

    private static LabeledExamples split(DatasetSpec spec, String split, int size, Path dataRoot) {
        if (!ImageDatasets.NAMES.contains(spec.name())) {
            return ToyCircles.defaults().generate(size, Seeds.stream(spec.seed(), spec.name() + "/" + split));
        }
        Path directory = directory(spec.name(), dataRoot);
        requireSize(spec.name(), split, size, directory);
        return ImageDatasets.load(spec.name(), split, directory, 0, size);
    }

    private static void requireSize(String name, String split, int size, Path directory) {
        int available = ImageDatasets.size(name, split, directory);
        if (available < size) {
            throw new IllegalArgumentException("the " + split + " split of " + name + " in " + directory + " has "
                    + available + " examples, the spec asks for " + size + " (dataset." + split + "Size)");
        }
    }

    private static void check(DatasetSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("dataset spec is required");
        }
        if (!KNOWN.contains(spec.name())) {
            throw new IllegalArgumentException("unknown dataset '" + spec.name() + "'; known: " + DatasetSpec.NAMES);
        }
        if (spec.trainSize() == null || spec.trainSize() < 1 || spec.testSize() == null || spec.testSize() < 1
                || spec.seed() == null) {
            throw new IllegalArgumentException("dataset " + spec.name() + " needs trainSize ≥ 1, testSize ≥ 1 and a "
                    + "seed (apply RunSpec.withDefaults()), got " + spec);
        }
    }
}
