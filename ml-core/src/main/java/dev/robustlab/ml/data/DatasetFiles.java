package dev.robustlab.ml.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** What every dataset reader does with its files: find them, open them, read them fully or say why not. */
final class DatasetFiles {
    private static final int BUFFER = 1 << 16;

    private DatasetFiles() {
    }

    /** {@code file}, which must be a readable regular file. */
    static Path requireFile(Path file, String remedy) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFileException(file, Files.exists(file) ? "expected a file, found a directory"
                    : "file not found", remedy);
        }
        if (!Files.isReadable(file)) {
            throw new DatasetFileException(file, "file is not readable by this user", remedy);
        }
        return file;
    }

    /**
     * A buffered stream of {@code file}'s bytes, inflated if the file starts with the gzip magic number, whatever its
     * name.
     */
    static InputStream open(Path file, String remedy) {
        InputStream in = openUncompressed(file, remedy);
        try {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gzip ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
        } catch (IOException e) {
            DatasetFileException failure = unreadable(file, "its gzip header", remedy, e);
            try {
                in.close();
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    /** A buffered stream of {@code file}'s bytes as they are. */
    static InputStream openUncompressed(Path file, String remedy) {
        try {
            return new BufferedInputStream(Files.newInputStream(file), BUFFER);
        } catch (IOException e) {
            throw new DatasetFileException(file, "cannot open (" + e + ")", remedy, e);
        }
    }

    /** Reads exactly {@code length} bytes of {@code what} into {@code into} at {@code at}. */
    static void readFully(InputStream in, byte[] into, int at, int length, Path file, String what, String remedy) {
        try {
            int read = in.readNBytes(into, at, length);
            if (read < length) {
                throw truncated(file, what, length, read, remedy, null);
            }
        } catch (EOFException e) {
            throw truncated(file, what, length, -1, remedy, e);
        } catch (IOException e) {
            throw unreadable(file, what, remedy, e);
        }
    }

    /** Skips exactly {@code length} bytes of {@code what}. */
    static void skip(InputStream in, long length, Path file, String what, String remedy) {
        try {
            in.skipNBytes(length);
        } catch (EOFException e) {
            throw new DatasetFileException(file, "truncated: the file ends within the " + length + " bytes of "
                    + what, remedy, e);
        } catch (IOException e) {
            throw unreadable(file, what, remedy, e);
        }
    }

    /**
     * Checks that {@code in} is at its end after {@code what}: no bytes beyond what the header declared, and for a
     * gzip stream, the checksum in its trailer holds.
     */
    static void expectEnd(InputStream in, Path file, String what, String remedy) {
        try {
            if (in.read() >= 0) {
                throw new DatasetFileException(file, "expected the file to end after " + what + ", found more bytes",
                        remedy);
            }
        } catch (IOException e) {
            throw unreadable(file, "the end of the file", remedy, e);
        }
    }

    static DatasetFileException truncated(Path file, String what, long expected, long found, String remedy,
                                          Throwable cause) {
        return new DatasetFileException(file, "truncated: expected " + expected + " bytes of " + what + ", the file "
                + "ends " + (found >= 0 ? "after " + found : "first"), remedy, cause);
    }

    /** A read error: a damaged gzip or zlib stream, or the disk. */
    static DatasetFileException unreadable(Path file, String what, String remedy, IOException e) {
        return new DatasetFileException(file, "cannot read " + what + " (" + e + ")", remedy, e);
    }

    /**
     * The number of examples {@code [offset, offset + count)} means in a file of {@code size} examples;
     * {@code count} {@link ImageDatasets#ALL} means up to the end.
     */
    static int rangeCount(Path file, int size, int offset, int count) {
        int n = count == ImageDatasets.ALL ? size - offset : count;
        if (offset < 0 || n < 0 || (long) offset + n > size) {
            throw new IllegalArgumentException("examples [" + offset + ", " + ((long) offset + n) + ") are not "
                    + "inside [0, " + size + "), the " + size + " examples of " + file);
        }
        return n;
    }
}
