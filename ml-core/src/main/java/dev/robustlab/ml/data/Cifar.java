package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CIFAR-10 and CIFAR-100, binary version. Each file is a sequence of records: the label byte(s), then 3072 pixel bytes,
 * the 32×32 red plane, then green, then blue, each row-major; that is the example {@code (3, 32, 32)} channels first.
 * CIFAR-10 has one label byte; CIFAR-100 has two, the coarse (20 superclasses) then the fine label (100 classes),
 * and the fine one is used. The directory is the extracted folder or its parent.
 */
final class Cifar implements ImageDataset {
    static final Cifar CIFAR10 = new Cifar("CIFAR-10", "cifar-10-batches-bin", "cifar-10-binary.tar.gz",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin"), List.of("test_batch.bin"), 0, 10);
    static final Cifar CIFAR100 = new Cifar("CIFAR-100", "cifar-100-binary", "cifar-100-binary.tar.gz",
            List.of("train.bin"), List.of("test.bin"), 20, 100);

    private static final int PIXELS = 3 * 32 * 32;

    private final String title;
    private final String folder;
    private final List<String> trainFiles;
    private final List<String> testFiles;
    private final int coarseClasses;
    private final int classes;
    private final int recordBytes;
    private final String remedy;

    /**
     * @param coarseClasses number of coarse classes when a coarse label byte precedes the label, else 0
     */
    private Cifar(String title, String folder, String archive, List<String> trainFiles, List<String> testFiles,
                  int coarseClasses, int classes) {
        this.title = title;
        this.folder = folder;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
        this.coarseClasses = coarseClasses;
        this.classes = classes;
        this.recordBytes = (coarseClasses > 0 ? 2 : 1) + PIXELS;
        this.remedy = title + " needs the binary version: download " + archive + " from "
                + "https://www.cs.toronto.edu/~kriz/cifar.html, extract it (tar xzf " + archive + ") and give the "
                + "extracted " + folder + " directory or its parent; it holds "
                + String.join(", ", trainFiles) + " and " + String.join(", ", testFiles) + " (the python and "
                + "MATLAB versions are not read)";
    }

    @Override
    public Shape exampleShape() {
        return new Shape(3, 32, 32);
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public String remedy() {
        return remedy;
    }

    @Override
    public int size(Path directory, String split) {
        return files(directory, split).stream().mapToInt(this::records).sum();
    }

    @Override
    public LabeledExamples read(Path directory, String split, int offset, int count) {
        List<Path> files = files(directory, split);
        int[] records = files.stream().mapToInt(this::records).toArray();
        int n = DatasetFiles.rangeCount(files.size() == 1 ? files.get(0) : files.get(0).getParent(),
                Arrays.stream(records).sum(), offset, count);
        byte[] pixels = new byte[Math.multiplyExact(n, PIXELS)];
        int[] labels = new int[n];
        int start = 0;
        for (int f = 0; f < files.size(); f++) {
            int from = Math.max(offset - start, 0);
            int to = Math.min(offset + n - start, records[f]);
            if (from < to) {
                readRecords(files.get(f), from, to - from, pixels, labels, start + from - offset);
            }
            start += records[f];
        }
        return LabeledExamples.wrapPixels(pixels, labels, exampleShape(), classes);
    }

    private void readRecords(Path file, int from, int count, byte[] pixels, int[] labels, int at) {
        int labelBytes = recordBytes - PIXELS;
        byte[] label = new byte[labelBytes];
        try (InputStream in = DatasetFiles.openUncompressed(file, remedy)) {
            DatasetFiles.skip(in, (long) from * recordBytes, file, "records before the range", remedy);
            for (int r = 0; r < count; r++) {
                DatasetFiles.readFully(in, label, 0, labelBytes, file, "label", remedy);
                DatasetFiles.readFully(in, pixels, (at + r) * PIXELS, PIXELS, file, "pixels", remedy);
                int fine = label[labelBytes - 1] & 0xFF;
                int coarse = label[0] & 0xFF;
                if (fine >= classes || (coarseClasses > 0 && coarse >= coarseClasses)) {
                    throw new DatasetFileException(file, "record " + (from + r) + " has label byte(s) "
                            + (coarseClasses > 0 ? "coarse " + coarse + ", fine " + fine : fine) + ", expected "
                            + (coarseClasses > 0 ? "coarse 0 to " + (coarseClasses - 1) + " then fine " : "")
                            + "0 to " + (classes - 1) + " (another dataset's file?)", remedy);
                }
                labels[at + r] = fine;
            }
        } catch (IOException e) {
            throw DatasetFiles.unreadable(file, "records", remedy, e);
        }
    }

    /** The split's files, in the extracted folder if {@code directory} holds it, else in {@code directory}. */
    private List<Path> files(Path directory, String split) {
        Path dir = Files.isDirectory(directory.resolve(folder)) ? directory.resolve(folder) : directory;
        List<Path> files = new ArrayList<>();
        for (String name : ImageDatasets.TRAIN.equals(split) ? trainFiles : testFiles) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                throw new DatasetFileException(file, "file not found (looked in " + dir + " and found "
                        + listing(dir) + ")", remedy);
            }
            files.add(DatasetFiles.requireFile(file, remedy));
        }
        return files;
    }

    /** Number of records of {@code file}, from its size, which must be a whole number of records. */
    private int records(Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw DatasetFiles.unreadable(file, "its size", remedy, e);
        }
        if (bytes == 0 || bytes % recordBytes != 0) {
            throw new DatasetFileException(file, "expected a whole number of " + recordBytes + "-byte records ("
                    + (recordBytes - PIXELS) + " label byte(s) + " + PIXELS + " pixels), found " + bytes + " bytes ("
                    + bytes / recordBytes + " records and " + bytes % recordBytes + " bytes): truncated, or not "
                    + title + "'s binary version", remedy);
        }
        return Math.toIntExact(bytes / recordBytes);
    }

    private static String listing(Path dir) {
        try (var entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(12).toList();
            return names.isEmpty() ? "nothing" : names.stream().collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "an unreadable directory";
        }
    }
}
