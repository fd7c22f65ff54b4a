package dev.robustlab.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small image datasets in their published file formats, for tests that need a data directory. */
public final class ImageFixtures {
    private ImageFixtures() {
    }

    /**
     * Writes {@code <root>/cifar10/cifar-10-batches-bin/} with {@code perBatch} records in each of the five training
     * files and {@code test} records in the test file: random pixels from {@code seed}, label of record r of file f
     * (f = 0 for the test file) (f + r) mod 10.
     *
     * @return {@code root}
     */
    public static Path cifar10(Path root, int perBatch, int test, long seed) throws IOException {
        Path folder = Files.createDirectories(root.resolve("cifar10").resolve("cifar-10-batches-bin"));
        SplittableRandom random = new SplittableRandom(seed);
        for (int f = 1; f <= 5; f++) {
            Files.write(folder.resolve("data_batch_" + f + ".bin"), records(f, perBatch, random));
        }
        Files.write(folder.resolve("test_batch.bin"), records(0, test, random));
        return root;
    }

    /** The label {@link #cifar10} gives record {@code r} of file {@code f}. */
    public static int cifar10Label(int f, int r) {
        return (f + r) % 10;
    }

    private static byte[] records(int f, int count, SplittableRandom random) {
        int size = 1 + 3072;
        byte[] bytes = new byte[count * size];
        for (int r = 0; r < count; r++) {
            bytes[r * size] = (byte) cifar10Label(f, r);
            for (int k = 1; k < size; k++) {
                bytes[r * size + k] = (byte) random.nextInt(256);
            }
        }
        return bytes;
    }
}
