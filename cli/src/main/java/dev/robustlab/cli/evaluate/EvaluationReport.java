package dev.robustlab.cli.evaluate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustlab.cli.table.TextTable;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.ml.evaluation.EvaluationConfig;
import dev.robustlab.ml.evaluation.EvaluationResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What {@code robustlab evaluate} prints (a table) and writes ({@code --json}) from an evaluation's result. */
final class EvaluationReport {

    private EvaluationReport() {
    }

    /** A header line; the table (clean, robust accuracy after each attack, final); skipped lines; warnings. */
    static String text(EvaluationResult result) {
        EvaluationConfig config = result.config();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s test examples [%d, %d), %s ε = %s, %s, seed %d, batches of %d: "
                        + "%.1f s%n%n", config.dataset(), config.offset(), config.end(), config.norm(),
                number(config.epsilon()), config.suite() == null ? "attacks " + String.join(", ", config.attacks())
                        : "AutoAttack " + config.suite(), config.seed(), config.batchSize(), result.seconds()));
        int n = result.examples();
        TextTable table = new TextTable("", "accuracy (%)", "examples");
        table.row("clean", percent(result.cleanAccuracy()), count(result.clean()) + "/" + n);
        for (int k = 0; k < config.attacks().size(); k++) {
            String id = config.attacks().get(k);
            boolean skipped = result.skipped().stream().anyMatch(line -> line.startsWith(id + " "));
            table.row("after " + id + (skipped ? " (skipped)" : ""), percent(result.robustAccuracyAfter(k)),
                    count(result.robustAfter().get(k)) + "/" + n);
        }
        table.row("robust (final)", percent(result.robustAccuracy()), count(result.robust()) + "/" + n);
        out.append(table);
        for (String line : result.skipped()) {
            out.append("note: ").append(line).append('\n');
        }
        for (String warning : result.warnings()) {
            out.append("warning: ").append(warning).append('\n');
        }
        return out.toString();
    }

    /**
     * The JSON document: the configuration, clean_accuracy, robust_accuracy, per_attack (attack id → robust accuracy
     * after it, in order), skipped, warnings, clean_flags and robust_flags (one per example, dataset order), seconds.
     */
    static ObjectNode json(EvaluationResult result, Path model, Path dataDir) {
        EvaluationConfig config = result.config();
        ObjectNode root = EventJson.mapper().createObjectNode();
        ObjectNode configuration = root.putObject("configuration");
        configuration.put("model", model.toString());
        configuration.put("data_dir", dataDir == null ? null : dataDir.toString());
        configuration.setAll((ObjectNode) EventJson.mapper().valueToTree(config.fields()));
        root.put("examples", result.examples());
        root.put("clean_accuracy", result.cleanAccuracy());
        root.put("robust_accuracy", result.robustAccuracy());
        ObjectNode perAttack = root.putObject("per_attack");
        for (int k = 0; k < config.attacks().size(); k++) {
            perAttack.put(config.attacks().get(k), result.robustAccuracyAfter(k));
        }
        strings(root.putArray("skipped"), result.skipped());
        strings(root.putArray("warnings"), result.warnings());
        flags(root.putArray("clean_flags"), result.clean());
        flags(root.putArray("robust_flags"), result.robust());
        root.put("seconds", result.seconds());
        return root;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void flags(ArrayNode array, boolean[] flags) {
        for (boolean flag : flags) {
            array.add(flag);
        }
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f", 100 * share);
    }

    private static String number(double value) {
        return value == Math.rint(value * 255) / 255 && value != Math.rint(value * 100) / 100
                ? Math.round(value * 255) + "/255" : String.format(Locale.ROOT, "%s", value);
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }
}
