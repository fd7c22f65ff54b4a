package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * SVHN, cropped digits ("format 2"): {@code train_32x32.mat} and {@code test_32x32.mat}, MAT-files holding
 * {@code X}, uint8 {@code (32, 32, 3, N)} indexed (row, column, channel, example), and {@code y}, {@code (N, 1)} with
 * labels 1 to 10 where 10 is the digit 0. MATLAB's column-major order puts example n's 3072 bytes together, as
 * {@code X[h + 32·w + 1024·c + 3072·n]}; they are transposed to {@code (3, 32, 32)} channels first, and label 10
 * becomes 0 so that the label is the digit.
 */
final class Svhn implements ImageDataset {
    private static final int SIDE = 32;
    private static final int CHANNELS = 3;
    private static final int CLASSES = 10;
    private static final String REMEDY = "SVHN needs train_32x32.mat and test_32x32.mat (the cropped digits, format "
            + "2) in the given directory: download them from http://ufldl.stanford.edu/housenumbers/";

    @Override
    public Shape exampleShape() {
        return new Shape(CHANNELS, SIDE, SIDE);
    }

    @Override
    public int classes() {
        return CLASSES;
    }

    @Override
    public String remedy() {
        return REMEDY;
    }

    @Override
    public int size(Path directory, String split) {
        MatFile mat = new MatFile(file(directory, split), REMEDY);
        return checkImageDimensions(mat, mat.dimensions("X"));
    }

    @Override
    public LabeledExamples read(Path directory, String split, int offset, int count) {
        Path file = file(directory, split);
        MatFile mat = new MatFile(file, REMEDY);
        int size = checkImageDimensions(mat, mat.dimensions("X"));
        MatFile.Array y = mat.read("y", 0, ImageDatasets.ALL);
        if (y.values() == null || y.values().length != size || (y.dimensions().length != 2)) {
            throw new DatasetFileException(file, "expected y to be an (" + size + ", 1) array of labels, found "
                    + (y.values() == null ? "uint8 " : "") + Arrays.toString(y.dimensions()), REMEDY);
        }
        int n = DatasetFiles.rangeCount(file, size, offset, count);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double label = y.values()[offset + i];
            if (label != Math.rint(label) || label < 1 || label > CLASSES) {
                throw new DatasetFileException(file, "y(" + (offset + i + 1) + ") is " + label + ", expected a "
                        + "label from 1 to " + CLASSES, REMEDY);
            }
            labels[i] = (int) label % CLASSES;
        }
        return LabeledExamples.wrapPixels(channelsFirst(mat.read("X", offset, n).uint8()), labels,
                exampleShape(), CLASSES);
    }

    /** Example by example, {@code (h, w, c)} column-major (h fastest) to {@code (c, h, w)} row-major (w fastest). */
    private static byte[] channelsFirst(byte[] columnMajor) {
        byte[] chw = new byte[columnMajor.length];
        int plane = SIDE * SIDE;
        for (int example = 0; example < columnMajor.length; example += CHANNELS * plane) {
            for (int c = 0; c < CHANNELS; c++) {
                int base = example + c * plane;
                for (int h = 0; h < SIDE; h++) {
                    for (int w = 0; w < SIDE; w++) {
                        chw[base + h * SIDE + w] = columnMajor[base + w * SIDE + h];
                    }
                }
            }
        }
        return chw;
    }

    /** The number of examples of X, which must be (32, 32, 3, N). */
    private static int checkImageDimensions(MatFile mat, int[] dimensions) {
        if (dimensions.length != 4 || dimensions[0] != SIDE || dimensions[1] != SIDE || dimensions[2] != CHANNELS) {
            throw new DatasetFileException(mat.file(), "expected X to be (" + SIDE + ", " + SIDE + ", " + CHANNELS
                    + ", N) images, found " + Arrays.toString(dimensions) + " (the full-numbers format 1 is not "
                    + "read)", REMEDY);
        }
        return dimensions[3];
    }

    private static Path file(Path directory, String split) {
        return directory.resolve(split + "_32x32.mat");
    }
}
