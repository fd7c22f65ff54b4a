package dev.robustlab.cli.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.cli.table.MetricsTables;
import dev.robustlab.cli.table.TextTable;
import dev.robustlab.contracts.EventJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a study prints (plain-text tables, accuracies in percent) and writes ({@code --json}, accuracies as
 * fractions in [0, 1], as eval-service's API gives them).
 */
final class StudyReport {

    private StudyReport() {
    }

    /** One row per epoch, one column per arm: the accuracy {@code key} ({@code clean} or an attack id), in %. */
    static String perEpoch(List<MethodResult> results, String key) {
        List<String> header = new ArrayList<>(List.of("Epoch"));
        results.forEach(r -> header.add(r.method().label()));
        TextTable table = new TextTable(header.toArray(String[]::new));
        int epochs = results.stream().mapToInt(r -> r.epochs().size()).max().orElse(0);
        for (int e = 0; e < epochs; e++) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(e + 1)));
            for (MethodResult result : results) {
                row.add(e < result.epochs().size() ? percent(result.epochs().get(e).metric(key)) : "-");
            }
            table.row(row.toArray(String[]::new));
        }
        return table.toString();
    }

    /** One row per epoch of one arm: training loss and accuracy, PIAT's α, each measured accuracy, times. */
    static String epochsOf(MethodResult result) {
        List<String> keys = new ArrayList<>(result.epochs().get(0).metrics().keySet());
        List<String> header = new ArrayList<>(List.of("Epoch", "Train loss", "Train acc."));
        boolean piat = result.method().piat();
        if (piat) {
            header.add("PIAT α");
        }
        keys.forEach(k -> header.add(MetricsTables.title(k)));
        header.add("Train s");
        header.add("Eval s");
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (EpochRecord epoch : result.epochs()) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(epoch.epoch()),
                    String.format(Locale.ROOT, "%.4f", epoch.trainLoss()), percent(epoch.trainAccuracy())));
            if (piat) {
                row.add(String.format(Locale.ROOT, "%.3f", epoch.piatAlpha()));
            }
            keys.forEach(k -> row.add(percent(epoch.metric(k))));
            row.add(String.format(Locale.ROOT, "%.1f", epoch.trainSeconds()));
            row.add(String.format(Locale.ROOT, "%.1f", epoch.evaluationSeconds()));
            table.row(row.toArray(String[]::new));
        }
        return table.toString();
    }

    /** One row per arm: the oscillation of the selection attack's robust accuracy, in percentage points. */
    static String oscillation(List<MethodResult> results) {
        TextTable table = new TextTable("Method", "Std of Δ", "Mean |Δ|", "Largest drop", "at epoch",
                "Largest drop, all epochs", "at epoch");
        for (MethodResult result : results) {
            Oscillation o = result.oscillation();
            table.row(result.method().label(), points(o.stdChange()), points(o.meanAbsChange()),
                    points(o.lateDrop()), epoch(o.lateDropEpoch()), points(o.largestDrop()),
                    epoch(o.largestDropEpoch()));
        }
        return table.toString();
    }

    private static String epoch(int epoch) {
        return epoch == 0 ? "-" : String.valueOf(epoch);
    }

    /** The Best / Final / Diff table: one row per arm, clean and each attack (per-epoch ones, then later ones). */
    static String bestFinalDiff(List<MethodResult> results, List<String> attacks) {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (MethodResult result : results) {
            runs.put(result.method().label(), bestFinal(result.bestFinal()));
        }
        return MetricsTables.bestFinalDiff(runs, attacks);
    }

    /**
     * The JSON document: {@code configuration} as given, {@code methods} (per arm: id, label, method, piat,
     * parameters, epochs, the per-epoch series of each measured accuracy, oscillation, best, final, diff, seconds)
     * and {@code seconds}.
     */
    static ObjectNode json(String study, ObjectNode configuration, List<MethodResult> results, double seconds) {
        ObjectNode root = EventJson.mapper().createObjectNode();
        root.put("study", study);
        root.set("configuration", configuration);
        ArrayNode methods = root.putArray("methods");
        for (MethodResult result : results) {
            ObjectNode method = methods.addObject();
            method.put("id", result.method().id());
            method.put("label", result.method().label());
            method.put("method", result.method().method());
            method.put("piat", result.method().piat());
            method.set("parameters", EventJson.mapper().valueToTree(result.spec().training().parameters()));
            ArrayNode epochs = method.putArray("epochs");
            for (EpochRecord epoch : result.epochs()) {
                ObjectNode node = epochs.addObject();
                node.put("epoch", epoch.epoch());
                node.put("train_loss", epoch.trainLoss());
                node.put("train_accuracy", epoch.trainAccuracy());
                if (epoch.piatAlpha() == null) {
                    node.putNull("piat_alpha");
                } else {
                    node.put("piat_alpha", epoch.piatAlpha());
                }
                epoch.metrics().forEach(node::put);
                node.put("train_seconds", epoch.trainSeconds());
                node.put("evaluation_seconds", epoch.evaluationSeconds());
            }
            ObjectNode series = method.putObject("series");
            for (String key : result.epochs().get(0).metrics().keySet()) {
                ArrayNode values = series.putArray(key);
                result.series(key).forEach(values::add);
            }
            Oscillation o = result.oscillation();
            ObjectNode oscillation = method.putObject("oscillation");
            oscillation.put("of", result.bestFinal().selectedBy());
            oscillation.put("from_epoch", o.fromEpoch());
            oscillation.put("changes", o.changes());
            number(oscillation, "std_change", o.stdChange());
            number(oscillation, "mean_abs_change", o.meanAbsChange());
            number(oscillation, "late_drop", o.lateDrop());
            oscillation.put("late_drop_epoch", o.lateDropEpoch());
            number(oscillation, "largest_drop", o.largestDrop());
            oscillation.put("largest_drop_epoch", o.largestDropEpoch());
            method.setAll(bestFinal(result.bestFinal()));
            method.put("seconds", result.seconds());
        }
        root.put("seconds", seconds);
        return root;
    }

    /** Writes {@code document} to {@code file}, pretty-printed, creating the directories it needs. */
    static void write(Path file, ObjectNode document) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
    }

    /** {@code selected_by}, {@code best}, {@code final} (epoch and accuracies) and {@code diff}, as eval-service. */
    private static ObjectNode bestFinal(BestFinal bestFinal) {
        ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("selected_by", bestFinal.selectedBy());
        node.set("best", summary(bestFinal.best()));
        node.set("final", summary(bestFinal.last()));
        ObjectNode diff = node.putObject("diff");
        bestFinal.diff().forEach(diff::put);
        return node;
    }

    private static ObjectNode summary(BestFinal.Summary summary) {
        ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("epoch", summary.epoch());
        summary.metrics().forEach(node::put);
        return node;
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    private static String points(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }
}
