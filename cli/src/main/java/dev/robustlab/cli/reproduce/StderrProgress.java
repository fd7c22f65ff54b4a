package dev.robustlab.cli.reproduce;

import dev.robustlab.cli.table.MetricsTables;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** A study's progress as plain lines on stderr: one per epoch, with what it measured, and one per note. */
final class StderrProgress implements StudyProgress {
    private final PrintWriter err;
    private final String prefix;

    /** @param prefix the study's name, at the start of every line, e.g. {@code toy} */
    StderrProgress(PrintWriter err, String prefix) {
        this.err = err;
        this.prefix = prefix;
    }

    @Override
    public void epochDone(StudyMethod method, EpochRecord epoch, int epochs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s] %-10s epoch %" + digits(epochs)
                + "d/%d  loss %.4f  train acc %s%%", prefix, method.label(), epoch.epoch(), epochs, epoch.trainLoss(),
                StudyReport.percent(epoch.trainAccuracy())));
        for (Map.Entry<String, Double> metric : epoch.metrics().entrySet()) {
            line.append("  ").append(MetricsTables.title(metric.getKey())).append(' ')
                    .append(StudyReport.percent(metric.getValue())).append('%');
        }
        line.append(String.format(Locale.ROOT, "  (train %.1f s, eval %.1f s)", epoch.trainSeconds(),
                epoch.evaluationSeconds()));
        err.println(line);
        err.flush();
    }

    @Override
    public void note(String line) {
        err.println("[" + prefix + "] " + line);
        err.flush();
    }

    private static int digits(int n) {
        return String.valueOf(n).length();
    }
}
