package dev.robustlab.cli.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders eval-service's metrics of runs: the per-epoch table (clean and robust accuracy per attack) and the
 * Best / Final / Diff table of the PIAT paper's Table I (best epoch chosen by PGD-20, final = last epoch,
 * diff = best − final). Accuracies arrive as fractions and are shown as percentages.
 */
public final class MetricsTables {
    /** Display names of attack ids, as the papers write them. */
    private static final Map<String, String> TITLES = Map.of("clean", "Clean", "pgd-20", "PGD-20", "cw-inf", "CW∞",
            "autoattack", "AA");

    private MetricsTables() {
    }

    /** One row per evaluated epoch: Epoch, Clean, then one column per attack. */
    public static String perEpoch(JsonNode metrics, List<String> attacks) {
        List<String> header = new ArrayList<>(List.of("Epoch", "Clean"));
        attacks.forEach(a -> header.add(title(a)));
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (JsonNode epoch : metrics.path("epochs")) {
            List<String> row = new ArrayList<>(List.of(epoch.path("epoch").asText(), percent(epoch.path("clean"))));
            attacks.forEach(a -> row.add(percent(epoch.path(a))));
            table.row(row.toArray(String[]::new));
        }
        return table.toString();
    }

    /**
     * One row per run: for Clean and each attack, Best, Final and Diff.
     *
     * @param runs    row label to metrics
     * @param attacks attack ids, in column order
     */
    public static String bestFinalDiff(Map<String, JsonNode> runs, List<String> attacks) {
        List<String> metrics = new ArrayList<>(List.of("clean"));
        metrics.addAll(attacks);
        List<String> header = new ArrayList<>(List.of("Method", "Best ep.", "Final ep."));
        for (String m : metrics) {
            header.add(title(m) + " best");
            header.add(title(m) + " final");
            header.add(title(m) + " diff");
        }
        TextTable table = new TextTable(header.toArray(String[]::new));
        runs.forEach((label, json) -> {
            List<String> row = new ArrayList<>(List.of(label, json.path("best").path("epoch").asText("-"),
                    json.path("final").path("epoch").asText("-")));
            for (String m : metrics) {
                row.add(percent(json.path("best").path(m)));
                row.add(percent(json.path("final").path(m)));
                row.add(percent(json.path("diff").path(m)));
            }
            table.row(row.toArray(String[]::new));
        });
        return table.toString();
    }

    /** How tables head the metric {@code id} ({@code clean} or an attack id): as the papers write it. */
    public static String title(String id) {
        return TITLES.getOrDefault(id, id);
    }

    private static String percent(JsonNode fraction) {
        return fraction.isNumber() ? String.format(Locale.ROOT, "%.2f", 100 * fraction.asDouble()) : "-";
    }
}
