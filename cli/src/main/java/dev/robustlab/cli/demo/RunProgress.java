package dev.robustlab.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Where one run stands, from the gateway's run view and eval-service's metrics.
 *
 * @param label            what the user calls the run (e.g. {@code PGD-AT+PIAT})
 * @param status           the gateway's status: requested, started, training, completed or failed
 * @param epoch            epochs trained so far
 * @param epochs           epochs in total
 * @param evaluatedEpochs  epochs whose every attack is merged
 * @param failure          the failure reason, or null
 */
record RunProgress(String label, String status, int epoch, int epochs, int evaluatedEpochs, String failure) {

    static RunProgress of(String label, JsonNode run, JsonNode metrics) {
        int evaluated = 0;
        if (metrics != null) {
            for (JsonNode e : metrics.path("epochs")) {
                if (e.path("complete").asBoolean(false)) {
                    evaluated++;
                }
            }
        }
        String reason = run.path("failureReason").asText(run.path("reason").asText(null));
        return new RunProgress(label, run.path("status").asText("?"), run.path("epoch").asInt(0),
                run.path("epochs").asInt(0), evaluated, reason);
    }

    boolean failed() {
        return "failed".equals(status);
    }

    /** Trained and every epoch measured. */
    boolean finished() {
        return "completed".equals(status) && epochs > 0 && evaluatedEpochs >= epochs;
    }

    String line() {
        return String.format(Locale.ROOT, "%-14s %-10s trained %2d/%d  measured %2d/%d", label, status, epoch, epochs,
                evaluatedEpochs, epochs);
    }
}
