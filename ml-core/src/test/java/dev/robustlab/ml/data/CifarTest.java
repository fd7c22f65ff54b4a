package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.robustlab.ml.data.FashionMnistTest.assertMessage;
import static dev.robustlab.ml.data.ImageDatasets.CIFAR10;
import static dev.robustlab.ml.data.ImageDatasets.CIFAR100;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CifarTest {
    @TempDir
    Path dir;

    /** Pixel (c, h, w) of record r of file f: distinct along every axis. */
    private static int pixel(int f, int r, int c, int h, int w) {
        return (f * 101 + r * 29 + c * 71 + h * 7 + w * 13) % 256;
    }

    /**
     * A file of {@code records} records as the binary version lays them out: label byte(s), then the red, green and
     * blue 32×32 planes, each row after row.
     */
    private static byte[] records(int f, int records, int[] labelBytes) {
        int size = labelBytes.length + 3072;
        byte[] bytes = new byte[records * size];
        for (int r = 0; r < records; r++) {
            for (int k = 0; k < labelBytes.length; k++) {
                bytes[r * size + k] = (byte) (labelBytes[k] + r);
            }
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) {
                        bytes[r * size + labelBytes.length + c * 1024 + h * 32 + w] = (byte) pixel(f, r, c, h, w);
                    }
                }
            }
        }
        return bytes;
    }

    private Path cifar10(Path parent, int recordsPerFile) throws IOException {
        Path folder = Files.createDirectories(parent.resolve("cifar-10-batches-bin"));
        for (int f = 1; f <= 5; f++) {
            Files.write(folder.resolve("data_batch_" + f + ".bin"), records(f, recordsPerFile, new int[] {f}));
        }
        Files.write(folder.resolve("test_batch.bin"), records(0, 4, new int[] {3}));
        return folder;
    }

    private static float feature(LabeledExamples examples, int i, int c, int h, int w) {
        return examples.features(i)[c * 1024 + h * 32 + w];
    }

    @Test
    void readsCifar10RecordsChannelsFirstFromTheFolderOrItsParent() throws IOException {
        Path folder = cifar10(dir, 3);
        LabeledExamples test = ImageDatasets.load(CIFAR10, "test", dir);
        assertEquals(4, test.size());
        assertEquals(new Shape(3, 32, 32), test.exampleShape());
        assertEquals(10, test.classes());
        assertEquals(3 + 2, test.label(2));
        // Record 2, blue (c = 2), row 5, column 17: 58 + 142 + 35 + 221 = 456 mod 256 = 200.
        assertEquals(200 / 255f, feature(test, 2, 2, 5, 17), 0f);
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 32; h += 3) {
                for (int w = 0; w < 32; w += 5) {
                    assertEquals(pixel(0, 1, c, h, w) / 255f, feature(test, 1, c, h, w), 0f);
                }
            }
        }
        LabeledExamples fromFolder = ImageDatasets.load(CIFAR10, "test", folder);
        assertArrayEquals(test.features(3), fromFolder.features(3), 0f);

        LabeledExamples train = ImageDatasets.load(CIFAR10, "train", dir);
        assertEquals(15, train.size());
        assertEquals(15, ImageDatasets.size(CIFAR10, "train", folder));
        for (int i = 0; i < 15; i++) {
            int f = 1 + i / 3;
            int r = i % 3;
            assertEquals(f + r, train.label(i), "example " + i + " is record " + r + " of data_batch_" + f);
            assertEquals(pixel(f, r, 1, 31, 2) / 255f, feature(train, i, 1, 31, 2), 0f);
        }
        // A range across data_batch_2 and data_batch_3 reads the same examples as the whole split.
        LabeledExamples range = ImageDatasets.load(CIFAR10, "train", dir, 4, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(train.label(4 + i), range.label(i));
            assertArrayEquals(train.features(4 + i), range.features(i), 0f);
        }
    }

    @Test
    void readsCifar100FineLabels() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cifar-100-binary"));
        Files.write(folder.resolve("train.bin"), records(1, 3, new int[] {17, 97}));
        Files.write(folder.resolve("test.bin"), records(2, 2, new int[] {4, 50}));
        LabeledExamples test = ImageDatasets.load(CIFAR100, "test", dir);
        assertEquals(100, test.classes());
        assertEquals(new Shape(3, 32, 32), test.exampleShape());
        assertEquals(50, test.label(0));
        assertEquals(51, test.label(1));
        assertEquals(pixel(2, 1, 0, 31, 31) / 255f, feature(test, 1, 0, 31, 31), 0f);
        LabeledExamples train = ImageDatasets.load(CIFAR100, "train", folder);
        assertEquals(99, train.label(2));
        Files.write(folder.resolve("train.bin"), records(1, 3, new int[] {19, 97}));
        assertMessage(assertThrows(DatasetFileException.class, () -> ImageDatasets.load(CIFAR100, "train", dir)),
                "train.bin", "record 1 has label byte(s) coarse 20, fine 98, expected coarse 0 to 19");
        DatasetFileException coarse = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(CIFAR10, "train", folder.getParent()));
        assertMessage(coarse, "data_batch_1.bin", "file not found", "cifar-10-binary.tar.gz",
                "https://www.cs.toronto.edu/~kriz/cifar.html");
    }

    @Test
    void refusesMissingTruncatedAndForeignFiles() throws IOException {
        Path folder = cifar10(dir, 2);
        Files.delete(folder.resolve("data_batch_4.bin"));
        DatasetFileException missing = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(CIFAR10, "train", dir));
        assertEquals(folder.resolve("data_batch_4.bin"), missing.file());
        assertMessage(missing, "file not found", "data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, "
                + "data_batch_5.bin, test_batch.bin", "cifar-10-binary.tar.gz");

        byte[] test = Files.readAllBytes(folder.resolve("test_batch.bin"));
        Files.write(folder.resolve("test_batch.bin"), Arrays.copyOf(test, test.length - 1000));
        DatasetFileException truncated = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(CIFAR10, "test", dir));
        assertMessage(truncated, "test_batch.bin", "whole number of 3073-byte records", "3 records and 2073 bytes",
                "truncated");

        // A CIFAR-100 file has 3074-byte records: four of them are not a whole number of CIFAR-10 records.
        Files.write(folder.resolve("test_batch.bin"), records(0, 4, new int[] {1, 2}));
        assertMessage(assertThrows(DatasetFileException.class, () -> ImageDatasets.load(CIFAR10, "test", dir)),
                "test_batch.bin", "3073-byte records", "found 12296 bytes");

        byte[] badLabel = records(0, 4, new int[] {3});
        badLabel[2 * 3073] = 10;
        Files.write(folder.resolve("test_batch.bin"), badLabel);
        assertMessage(assertThrows(DatasetFileException.class, () -> ImageDatasets.load(CIFAR10, "test", dir)),
                "test_batch.bin", "record 2 has label byte(s) 10, expected 0 to 9");
    }
}
