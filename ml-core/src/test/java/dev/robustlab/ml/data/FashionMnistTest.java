package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.robustlab.ml.data.ImageDatasets.FASHION_MNIST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistTest {
    private static final int TRAIN = 12;
    private static final int TEST = 7;

    @TempDir
    Path dir;

    /** Pixel (row, column) of example n: distinct along each axis, and 0 and 255 both occur. */
    private static int pixel(int n, int row, int column) {
        return (n * 31 + row * 7 + column * 3) % 256;
    }

    private static int label(int n) {
        return (n * 3 + 1) % 10;
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    static byte[] images(int count, int side) {
        byte[] data = new byte[count * side * side];
        for (int n = 0; n < count; n++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    data[(n * side + r) * side + c] = (byte) pixel(n, r, c);
                }
            }
        }
        return idx(2051, new int[] {count, side, side}, data);
    }

    static byte[] labels(int count) {
        byte[] data = new byte[count];
        for (int n = 0; n < count; n++) {
            data[n] = (byte) label(n);
        }
        return idx(2049, new int[] {count}, data);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private void write(String name, byte[] bytes, boolean gzipped) throws IOException {
        Files.write(dir.resolve(gzipped ? name + ".gz" : name), gzipped ? gzip(bytes) : bytes);
    }

    private void writeAll(boolean gzipped) throws IOException {
        write("train-images-idx3-ubyte", images(TRAIN, 28), gzipped);
        write("train-labels-idx1-ubyte", labels(TRAIN), gzipped);
        write("t10k-images-idx3-ubyte", images(TEST, 28), gzipped);
        write("t10k-labels-idx1-ubyte", labels(TEST), gzipped);
    }

    @ParameterizedTest(name = "gzipped {0}")
    @ValueSource(booleans = {true, false})
    void readsPixelsScaledAndLabelsOfBothSplits(boolean gzipped) throws IOException {
        writeAll(gzipped);
        LabeledExamples test = ImageDatasets.load(FASHION_MNIST, "test", dir);
        assertEquals(TEST, test.size());
        assertEquals(new Shape(1, 28, 28), test.exampleShape());
        assertEquals(10, test.classes());
        for (int n = 0; n < TEST; n++) {
            assertEquals(label(n), test.label(n));
            float[] x = test.features(n);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    assertEquals(pixel(n, r, c) / 255f, x[r * 28 + c], 0f, "pixel " + n + "," + r + "," + c);
                }
            }
        }
        // By hand: (5, 27, 26) is 155 + 189 + 78 = 422 mod 256 = 166; (0, 0, 0) is 0; (0, 27, 22) is 189 + 66 = 255.
        assertEquals(166 / 255f, test.features(5)[27 * 28 + 26], 0f);
        assertEquals(0f, test.features(0)[0], 0f);
        assertEquals(1f, test.features(0)[27 * 28 + 22], 0f);
        LabeledExamples train = ImageDatasets.load(FASHION_MNIST, "train", dir);
        assertEquals(TRAIN, train.size());
        assertEquals(label(11), train.label(11));
        assertEquals(TRAIN, ImageDatasets.size(FASHION_MNIST, "train", dir));
    }

    @Test
    void readsARangeOfTheTestSplitAlone() throws IOException {
        writeAll(true);
        LabeledExamples all = ImageDatasets.load(FASHION_MNIST, "test", dir);
        LabeledExamples range = ImageDatasets.load(FASHION_MNIST, "test", dir, 3, 4);
        assertEquals(4, range.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(all.label(3 + i), range.label(i));
            assertArrayEquals(all.features(3 + i), range.features(i), 0f);
        }
        assertEquals(TEST - 5, ImageDatasets.load(FASHION_MNIST, "test", dir, 5, ImageDatasets.ALL).size());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir, 5, 3));
        assertTrue(outside.getMessage().contains("[5, 8) are not inside [0, 7)"), outside.getMessage());
    }

    @Test
    void tellsWhichFileOrDirectoryIsMissing() throws IOException {
        DatasetFileException missing = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(missing, "t10k-images-idx3-ubyte", "file not found, nor t10k-images-idx3-ubyte.gz",
                "dataset-fashion-mnist", "github.com/zalandoresearch/fashion-mnist");
        write("t10k-images-idx3-ubyte", images(TEST, 28), true);
        missing = assertThrows(DatasetFileException.class, () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(missing, "t10k-labels-idx1-ubyte", "file not found");
        Path nowhere = dir.resolve("nowhere");
        missing = assertThrows(DatasetFileException.class, () -> ImageDatasets.load(FASHION_MNIST, "test", nowhere));
        assertEquals(nowhere, missing.file());
        assertMessage(missing, "directory not found", "dataset-fashion-mnist");
    }

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        writeAll(false);
        write("t10k-images-idx3-ubyte", labels(TEST), false);
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, dir.resolve("t10k-images-idx3-ubyte").toString(), "expected the IDX magic number 2051",
                "found 2049");
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        writeAll(true);
        byte[] images = images(TEST, 28);
        write("t10k-images-idx3-ubyte", Arrays.copyOf(images, images.length - 100), true);
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, dir.resolve("t10k-images-idx3-ubyte.gz").toString(), "truncated",
                "expected " + TEST * 784 + " bytes of pixels", "ends after " + (TEST * 784 - 100));
        write("t10k-images-idx3-ubyte", Arrays.copyOf(images, 10), true);
        e = assertThrows(DatasetFileException.class, () -> ImageDatasets.size(FASHION_MNIST, "test", dir));
        assertMessage(e, "t10k-images-idx3-ubyte.gz", "truncated", "IDX dimensions");
    }

    @Test
    void refusesADamagedGzipStream() throws IOException {
        writeAll(false);
        byte[] gz = gzip(images(TEST, 28));
        for (int i = 20; i < 60; i++) {
            gz[i] ^= 0x5A;
        }
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gz);
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, "t10k-images-idx3-ubyte.gz", "ZipException");
    }

    @Test
    void refusesAWrongChecksumOrBytesBeyondTheHeader() throws IOException {
        writeAll(true);
        byte[] gz = gzip(labels(TEST));
        gz[gz.length - 8] ^= 1; // the gzip trailer: CRC-32, then the length
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gz);
        assertMessage(assertThrows(DatasetFileException.class, () -> ImageDatasets.load(FASHION_MNIST, "test", dir)),
                "t10k-labels-idx1-ubyte.gz", "Corrupt GZIP trailer");
        // A range short of the end does not read to the trailer.
        assertEquals(2, ImageDatasets.load(FASHION_MNIST, "test", dir, 0, 2).size());

        writeAll(false);
        byte[] images = images(TEST, 28);
        write("t10k-images-idx3-ubyte", Arrays.copyOf(images, images.length + 784), false);
        assertMessage(assertThrows(DatasetFileException.class, () -> ImageDatasets.load(FASHION_MNIST, "test", dir)),
                "t10k-images-idx3-ubyte", "expected the file to end after the 7 images its header declares");
    }

    @Test
    void refusesImagesAndLabelsThatDoNotMatch() throws IOException {
        writeAll(false);
        write("t10k-labels-idx1-ubyte", labels(TEST - 1), false);
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, "t10k-images-idx3-ubyte", "holds 7 images", "t10k-labels-idx1-ubyte holds 6 labels");
    }

    @Test
    void refusesOtherImageSizesAndLabels() throws IOException {
        writeAll(false);
        write("t10k-images-idx3-ubyte", images(TEST, 32), false);
        DatasetFileException e = assertThrows(DatasetFileException.class,
                () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, "t10k-images-idx3-ubyte", "expected 28×28 images, found 32×32");
        writeAll(false);
        byte[] labels = labels(TEST);
        labels[8 + 4] = 10;
        write("t10k-labels-idx1-ubyte", labels, false);
        e = assertThrows(DatasetFileException.class, () -> ImageDatasets.load(FASHION_MNIST, "test", dir));
        assertMessage(e, "t10k-labels-idx1-ubyte", "label of example 4 is 10, expected 0 to 9");
    }

    /**
     * The real test split of Debian's dataset-fashion-mnist, when installed, against what python3 + gzip + numpy read
     * from the same files. Without python3, the known facts alone: 1000 examples per class, first labels
     * 9, 2, 1, 1, 6 and the pixel sum 573469082 (both read with numpy from the Debian files).
     */
    @Test
    void readsTheRealTestSplitAsNumpyDoes() throws IOException, InterruptedException {
        Path real = ImageDatasets.defaultDirectory(FASHION_MNIST).orElseThrow();
        assumeTrue(Files.isRegularFile(real.resolve("t10k-images-idx3-ubyte.gz")), "no " + real);
        LabeledExamples test = ImageDatasets.load(FASHION_MNIST, "test", null);
        assertEquals(10000, test.size());
        assertEquals(60000, ImageDatasets.size(FASHION_MNIST, "train", null));
        int[] perClass = new int[10];
        long pixelSum = 0;
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
            for (float v : test.features(i)) {
                pixelSum += Math.round(v * 255);
            }
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, perClass);
        int[] samples = {0, 1, 4321, 9999};
        StringBuilder ours = new StringBuilder().append(pixelSum);
        for (int n : samples) {
            ours.append(' ').append(test.label(n));
            float[] x = test.features(n);
            for (int c = 10; c < 18; c++) {
                ours.append(' ').append(Math.round(x[14 * 28 + c] * 255));
            }
        }
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            assertTrue(ours.toString().startsWith("573469082 9 0 0 98 136 110 109 110 162 2 "), ours.toString());
            return;
        }
        String script = "import gzip, numpy as np\n"
                + "P = '" + real + "'\n"
                + "x = np.frombuffer(gzip.open(P + '/t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16)"
                + ".reshape(-1, 28, 28)\n"
                + "y = np.frombuffer(gzip.open(P + '/t10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)\n"
                + "out = [int(x.sum(dtype=np.int64))]\n"
                + "for n in " + Arrays.toString(samples) + ":\n"
                + "    out += [int(y[n])] + [int(v) for v in x[n, 14, 10:18]]\n"
                + "print(' '.join(map(str, out)))\n";
        Process process = new ProcessBuilder(python.toString(), "-c", script).redirectErrorStream(true).start();
        String numpy = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assumeTrue(process.exitValue() == 0, "python3 with numpy could not read the files: " + numpy);
        assertEquals(numpy, ours.toString());
    }

    static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }
}
