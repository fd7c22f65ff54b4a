package dev.robustlab.ml.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A dataset file (or directory) that is missing or does not hold what its format says. The message names the file,
 * what was expected, what was found and what to do about it.
 */
public class DatasetFileException extends IllegalArgumentException {
    private final transient Path file;

    /**
     * @param file    the file or directory at fault
     * @param problem what was expected and what was found
     * @param remedy  what to do about it
     */
    public DatasetFileException(Path file, String problem, String remedy) {
        this(file, problem, remedy, null);
    }

    /** As {@link #DatasetFileException(Path, String, String)}, with the I/O error that revealed the problem. */
    public DatasetFileException(Path file, String problem, String remedy, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + problem + ". " + remedy, cause);
        this.file = file;
    }

    /** The file or directory at fault. */
    public Path file() {
        return file;
    }
}
