package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.robustlab.ml.data.FashionMnistTest.assertMessage;
import static dev.robustlab.ml.data.ImageDatasets.SVHN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SVHN read from MAT-files that scipy.io.savemat wrote (src/test/resources/data/svhn/make_fixtures.py), compared with
 * what numpy made of the same arrays.
 */
class SvhnTest {
    @TempDir
    Path dir;

    private static Path fixtures() throws URISyntaxException {
        return Path.of(SvhnTest.class.getResource("/data/svhn").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "compressed"})
    void readsWhatNumpyTransposedToChannelsFirst(String folder) throws Exception {
        for (String split : List.of("train", "test")) {
            LabeledExamples examples = ImageDatasets.load(SVHN, split, fixtures().resolve(folder));
            byte[] chw = Files.readAllBytes(fixtures().resolve(split + "-expected-chw.bin"));
            int[] labels = Files.readAllLines(fixtures().resolve(split + "-expected-labels.txt")).stream()
                    .mapToInt(Integer::parseInt).toArray();
            assertEquals(labels.length, examples.size());
            assertEquals(labels.length, ImageDatasets.size(SVHN, split, fixtures().resolve(folder)));
            assertEquals(new Shape(3, 32, 32), examples.exampleShape());
            assertEquals(10, examples.classes());
            for (int i = 0; i < examples.size(); i++) {
                assertEquals(labels[i], examples.label(i), split + " label " + i);
                float[] x = examples.features(i);
                for (int k = 0; k < x.length; k++) {
                    assertEquals((chw[i * 3072 + k] & 0xFF) / 255f, x[k], 0f, split + " example " + i + " value " + k);
                }
            }
        }
        LabeledExamples test = ImageDatasets.load(SVHN, "test", fixtures().resolve(folder));
        // By hand from the script: X[h, w, c, n] = (7h + 13w + 71c + 29n + 1) mod 256 in the test file, so
        // (n, c, h, w) = (2, 1, 3, 30) is 21 + 390 + 71 + 58 + 1 = 541 mod 256 = 29, at c·1024 + h·32 + w.
        assertEquals(29 / 255f, test.features(2)[1024 + 3 * 32 + 30], 0f);
        // y(2) = 10 is the digit 0.
        assertEquals(0, test.label(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "compressed"})
    void readsARangeAlone(String folder) throws Exception {
        LabeledExamples train = ImageDatasets.load(SVHN, "train", fixtures().resolve(folder));
        LabeledExamples range = ImageDatasets.load(SVHN, "train", fixtures().resolve(folder), 1, 3);
        assertEquals(3, range.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(train.label(1 + i), range.label(i));
            assertArrayEquals(train.features(1 + i), range.features(i), 0f);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ImageDatasets.load(SVHN, "train", fixtures().resolve(folder), 4, 2));
    }

    @Test
    void refusesFilesWhoseContentIsNotSvhn() throws Exception {
        Path malformed = fixtures().resolve("malformed");
        assertMessage(load(malformed.resolve("wrong-dims")), "wrong-dims/test_32x32.mat",
                "expected X to be (32, 32, 3, N) images, found [28, 28, 3, 2]");
        assertMessage(load(malformed.resolve("label-out-of-range")), "label-out-of-range/test_32x32.mat",
                "y(1) is 11.0, expected a label from 1 to 10");
        assertMessage(load(malformed.resolve("no-images")), "no-images/test_32x32.mat",
                "expected a variable named 'X', found only [images, y]");
        assertMessage(load(malformed.resolve("count-mismatch")), "count-mismatch/test_32x32.mat",
                "expected y to be an (2, 1) array of labels, found [3, 1]");
    }

    @Test
    void refusesMissingFilesAndOtherFormats() throws IOException {
        DatasetFileException missing = load(dir);
        assertEquals(dir.resolve("test_32x32.mat"), missing.file());
        assertMessage(missing, "file not found", "http://ufldl.stanford.edu/housenumbers/");

        Files.writeString(dir.resolve("test_32x32.mat"), "<html>404 Not Found</html>" + " ".repeat(200));
        assertMessage(load(dir), "test_32x32.mat", "expected a MAT-file header", "found '<html>404");

        Files.write(dir.resolve("test_32x32.mat"), new byte[] {0, 0, 0, 0, 3, 0, 0, 0});
        assertMessage(load(dir), "test_32x32.mat", "truncated", "MAT-file header");

        // The head of a MAT v7.3 file as MATLAB writes it: the text header, version 0x0200, then HDF5 at byte 512.
        byte[] v73 = new byte[1024];
        Arrays.fill(v73, 0, 116, (byte) ' ');
        byte[] text = "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 ."
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, v73, 0, text.length);
        v73[124] = 0;
        v73[125] = 2;
        v73[126] = 'I';
        v73[127] = 'M';
        byte[] hdf5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(hdf5, 0, v73, 512, hdf5.length);
        Files.write(dir.resolve("test_32x32.mat"), v73);
        assertMessage(load(dir), dir.resolve("test_32x32.mat").toString(), "MAT-file v7.3 (HDF5), which is not read",
                "save(file, '-v7')", "scipy.io.savemat");
        v73[0] = 'X';
        Files.write(dir.resolve("test_32x32.mat"), v73);
        assertMessage(load(dir), "test_32x32.mat", "MAT-file v7.3 (HDF5)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "compressed"})
    void refusesTruncatedFiles(String folder) throws Exception {
        byte[] whole = Files.readAllBytes(fixtures().resolve(folder).resolve("test_32x32.mat"));
        for (int length : new int[] {whole.length - 40, whole.length / 2, 200}) {
            Files.write(dir.resolve("test_32x32.mat"), Arrays.copyOf(whole, length));
            assertMessage(load(dir), dir.resolve("test_32x32.mat").toString(), "truncated");
        }
    }

    @Test
    void refusesDamagedStructureAndCompressedData() throws Exception {
        byte[] plain = Files.readAllBytes(fixtures().resolve("plain/test_32x32.mat"));
        // Byte 136 starts the tag of X's array flags (miUINT32 = 6), right after the miMATRIX tag at 128.
        assertEquals(6, plain[136]);
        plain[136] = 5;
        Files.write(dir.resolve("test_32x32.mat"), plain);
        assertMessage(load(dir), "test_32x32.mat", "expected the array flags of a variable (data type 6) at byte 144, "
                + "found data type 5 of 8 bytes: a damaged file");

        byte[] compressed = Files.readAllBytes(fixtures().resolve("compressed/test_32x32.mat"));
        for (int i = 300; i < 340; i++) {
            compressed[i] ^= 0x5A;
        }
        Files.write(dir.resolve("test_32x32.mat"), compressed);
        assertMessage(load(dir), "test_32x32.mat", "ZipException", "in the zlib-compressed element at byte 136");

        // The last 4 bytes of X's compressed element (tag at 128, byte count at 132) are zlib's Adler-32 checksum:
        // damaging it leaves every byte inflatable, only the checksum tells.
        compressed = Files.readAllBytes(fixtures().resolve("compressed/test_32x32.mat"));
        int end = 136 + ByteBuffer.wrap(compressed, 132, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        compressed[end - 1] ^= 1;
        Files.write(dir.resolve("test_32x32.mat"), compressed);
        assertMessage(load(dir), "test_32x32.mat", "incorrect data check", "variable 'X'");
    }

    private static DatasetFileException load(Path directory) {
        return assertThrows(DatasetFileException.class, () -> ImageDatasets.load(SVHN, "test", directory));
    }
}
