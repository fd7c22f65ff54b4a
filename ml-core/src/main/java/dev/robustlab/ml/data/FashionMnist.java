package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST in the IDX format of LeCun's MNIST, each file gzipped or not: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, with or without
 * {@code .gz}. An IDX file is a big-endian header, the magic number {@code 0x0000_08_nn} (unsigned bytes, nn
 * dimensions: 2051 for images, 2049 for labels) and one int32 per dimension, then the bytes row-major. Examples are
 * {@code (1, 28, 28)}.
 */
final class FashionMnist implements ImageDataset {
    static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int IMAGES_MAGIC = 0x803;
    private static final int LABELS_MAGIC = 0x801;
    private static final int SIDE = 28;
    private static final int CLASSES = 10;
    private static final String REMEDY = "Fashion-MNIST needs the four files {train,t10k}-{images-idx3,labels-idx1}"
            + "-ubyte, gzipped (.gz) or not, in one directory: install Debian's dataset-fashion-mnist (apt-get install "
            + "dataset-fashion-mnist puts them in " + DEFAULT_DIRECTORY + ") or download them from "
            + "https://github.com/zalandoresearch/fashion-mnist (data/fashion/)";

    @Override
    public Shape exampleShape() {
        return new Shape(1, SIDE, SIDE);
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
        return read(directory, split, 0, 0, true).size;
    }

    @Override
    public LabeledExamples read(Path directory, String split, int offset, int count) {
        Read read = read(directory, split, offset, count, false);
        return LabeledExamples.wrapPixels(read.pixels, read.labels, exampleShape(), CLASSES);
    }

    private record Read(int size, byte[] pixels, int[] labels) {
    }

    private Read read(Path directory, String split, int offset, int count, boolean headersOnly) {
        String prefix = ImageDatasets.TRAIN.equals(split) ? "train" : "t10k";
        Path imagesFile = find(directory, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(directory, prefix + "-labels-idx1-ubyte");
        try (InputStream images = DatasetFiles.open(imagesFile, REMEDY);
             InputStream labels = DatasetFiles.open(labelsFile, REMEDY)) {
            int[] imageDims = header(images, imagesFile, IMAGES_MAGIC, "images");
            int[] labelDims = header(labels, labelsFile, LABELS_MAGIC, "labels");
            if (imageDims[1] != SIDE || imageDims[2] != SIDE) {
                throw new DatasetFileException(imagesFile, "expected " + SIDE + "×" + SIDE + " images, found "
                        + imageDims[1] + "×" + imageDims[2], REMEDY);
            }
            if (imageDims[0] != labelDims[0]) {
                throw new DatasetFileException(imagesFile, "holds " + imageDims[0] + " images but " + labelsFile
                        + " holds " + labelDims[0] + " labels; expected as many of each", REMEDY);
            }
            int size = imageDims[0];
            if (headersOnly) {
                return new Read(size, null, null);
            }
            int n = DatasetFiles.rangeCount(imagesFile, size, offset, count);
            int pixelsPerImage = SIDE * SIDE;
            DatasetFiles.skip(images, (long) offset * pixelsPerImage, imagesFile, "images before the range", REMEDY);
            DatasetFiles.skip(labels, offset, labelsFile, "labels before the range", REMEDY);
            byte[] pixels = new byte[Math.multiplyExact(n, pixelsPerImage)];
            DatasetFiles.readFully(images, pixels, 0, pixels.length, imagesFile,
                    "pixels (" + n + " images × " + pixelsPerImage + ")", REMEDY);
            byte[] labelBytes = new byte[n];
            DatasetFiles.readFully(labels, labelBytes, 0, n, labelsFile, "labels (" + n + ")", REMEDY);
            if (offset + n == size) {
                DatasetFiles.expectEnd(images, imagesFile, "the " + size + " images its header declares", REMEDY);
                DatasetFiles.expectEnd(labels, labelsFile, "the " + size + " labels its header declares", REMEDY);
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = labelBytes[i] & 0xFF;
                if (y[i] >= CLASSES) {
                    throw new DatasetFileException(labelsFile, "label of example " + (offset + i) + " is " + y[i]
                            + ", expected 0 to " + (CLASSES - 1), REMEDY);
                }
            }
            return new Read(size, pixels, y);
        } catch (IOException e) {
            throw DatasetFiles.unreadable(imagesFile, "the IDX files", REMEDY, e);
        }
    }

    /** {@code directory/name}, or {@code directory/name.gz} if only that exists. */
    private static Path find(Path directory, String name) {
        Path plain = directory.resolve(name);
        Path gzipped = directory.resolve(name + ".gz");
        if (Files.exists(plain)) {
            return DatasetFiles.requireFile(plain, REMEDY);
        }
        if (Files.exists(gzipped)) {
            return DatasetFiles.requireFile(gzipped, REMEDY);
        }
        throw new DatasetFileException(plain, "file not found, nor " + gzipped.getFileName(), REMEDY);
    }

    /** The dimensions after an IDX magic number that must be {@code magic}. */
    private static int[] header(InputStream in, Path file, int magic, String what) {
        byte[] first = new byte[4];
        DatasetFiles.readFully(in, first, 0, 4, file, "IDX magic number", REMEDY);
        int found = bigEndian(first, 0);
        if (found != magic) {
            throw new DatasetFileException(file, "expected the IDX magic number " + magic + " (0x"
                    + Integer.toHexString(magic) + ": unsigned bytes, " + (magic & 0xFF) + " dimensions) of the "
                    + what + " file, found " + found + " (0x" + Integer.toHexString(found) + ")", REMEDY);
        }
        int[] dims = new int[magic & 0xFF];
        byte[] header = new byte[4 * dims.length];
        DatasetFiles.readFully(in, header, 0, header.length, file, "IDX dimensions", REMEDY);
        for (int d = 0; d < dims.length; d++) {
            dims[d] = bigEndian(header, 4 * d);
            if (dims[d] < 0) {
                throw new DatasetFileException(file, "dimension " + d + " of the IDX header is negative ("
                        + dims[d] + ")", REMEDY);
            }
        }
        return dims;
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
