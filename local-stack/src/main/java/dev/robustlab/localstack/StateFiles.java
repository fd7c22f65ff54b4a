package dev.robustlab.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Small file helpers for the state directory: directories, configuration files, the tail of a log. */
final class StateFiles {

    /** Enough bytes for the last few dozen lines of any of the logs. */
    private static final int TAIL_BYTES = 16 * 1024;
    private static final Pattern ERROR_LINE =
            Pattern.compile("\\b(ERROR|FATAL|PANIC)\\b|Exception in thread|^Error:|^\\[s3proxy\\] E ");

    private StateFiles() {
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The first line of a log that reports an error (a Kafka or log4j {@code ERROR}, a PostgreSQL {@code FATAL},
     * an uncaught Java exception), or null. The tail of a log is often a stack trace or shutdown noise; the first
     * error says what went wrong.
     */
    static String firstError(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(line -> ERROR_LINE.matcher(line).find()).findFirst().orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The last {@code lines} lines of a text file, or a note that it cannot be read. */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(" + file + " does not exist)";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (all.size() == 1 && all.get(0).isEmpty()) {
                return "(" + file + " is empty)";
            }
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> "    | " + line)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
