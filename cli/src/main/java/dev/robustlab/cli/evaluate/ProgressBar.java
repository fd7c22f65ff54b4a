package dev.robustlab.cli.evaluate;

import dev.robustlab.ml.evaluation.EvaluationProgress;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The evaluation's progress on stderr: examples done of the total, the robust accuracy so far and the time left.
 * On a terminal one line redrawn in place; otherwise (a file, a pipe, a CI log) one plain line per batch. The time
 * left is extrapolated from this session's pace, so examples restored from a state file do not make it look fast.
 */
final class ProgressBar implements EvaluationProgress {
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private long started = -1;
    private int firstDone;
    private boolean drawn;

    ProgressBar(PrintWriter out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = nanoClock;
    }

    /** A bar on {@code out}, redrawn in place when stderr is a terminal. */
    static ProgressBar onStderr(PrintWriter out) {
        return new ProgressBar(out, stderrIsTerminal(), System::nanoTime);
    }

    @Override
    public void update(int done, int total, double robustAccuracy) {
        long now = clock.getAsLong();
        if (started < 0) {
            started = now;
            firstDone = done;
        }
        String line = line(done, total, robustAccuracy, now);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            if (done >= total) {
                out.println();
            }
        } else if (done > firstDone || done >= total || !drawn) {
            out.println(line);
        }
        drawn = true;
        out.flush();
    }

    String line(int done, int total, double robustAccuracy, long now) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String robust = done == 0 ? "   -  " : String.format(Locale.ROOT, "%5.1f%%", 100 * robustAccuracy);
        return String.format(Locale.ROOT, "[%s] %d/%d examples  robust so far %s  %s", bar, done, total, robust,
                eta(done, total, now));
    }

    private String eta(int done, int total, long now) {
        if (done >= total) {
            return "done in " + duration((now - started) / 1e9);
        }
        int doneHere = done - firstDone;
        if (doneHere <= 0) {
            return "ETA --:--";
        }
        double perExample = (now - started) / 1e9 / doneHere;
        return "ETA " + duration(perExample * (total - done));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Whether file descriptor 2 is a terminal (Linux: a tty device); otherwise whether the JVM has a console. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
