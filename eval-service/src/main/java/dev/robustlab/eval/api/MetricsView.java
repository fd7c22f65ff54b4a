package dev.robustlab.eval.api;

import dev.robustlab.eval.metrics.BestFinal;
import dev.robustlab.eval.metrics.EpochMetrics;
import dev.robustlab.eval.metrics.RunMetrics;
import dev.robustlab.eval.metrics.Summary;
import dev.robustlab.eval.storage.RunData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code GET /api/runs/{id}/metrics}. Attack ids are keys of their own next to {@code clean}, so
 * a table row reads like the papers' tables:
 * <pre>
 * {"runId": "…", "accuracy": "fraction", "attacks": ["pgd-20", "cw-inf"], "selectedBy": "pgd-20",
 *  "epochs": [{"epoch": 1, "clean": 0.91, "pgd-20": 0.52, "cw-inf": null, "complete": false,
 *              "progress": {"done": 6, "expected": 8}}],
 *  "best": {"epoch": …, "clean": …, "pgd-20": …, "cw-inf": …}, "final": {…}, "diff": {"clean": …, "pgd-20": …},
 *  "failures": [{"jobId": …, "epoch": …, "attack": …, "shardIndex": …, "reason": …, "worker": …, "at": …}]}
 * </pre>
 */
final class MetricsView {

    private MetricsView() {
    }

    static Map<String, Object> of(String runId, RunData data) {
        RunMetrics metrics = RunMetrics.of(data.epochs());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        body.put("accuracy", "fraction");
        body.put("attacks", metrics.attacks());
        body.put("selectedBy", RunMetrics.selectionAttack(metrics.attacks()));
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochMetrics e : metrics.epochs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("clean", e.clean());
            row.putAll(e.robust());
            row.put("complete", e.complete());
            row.put("progress", Map.of("done", e.done(), "expected", e.expected()));
            epochs.add(row);
        }
        body.put("epochs", epochs);
        BestFinal bf = metrics.bestFinal().orElse(null);
        body.put("best", bf == null ? null : summary(bf.best()));
        body.put("final", bf == null ? null : summary(bf.last()));
        body.put("diff", bf == null ? null : bf.diff());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (RunData.Failure f : data.failures()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jobId", f.jobId());
            row.put("epoch", f.epoch());
            row.put("attack", f.attack());
            row.put("shardIndex", f.shardIndex());
            row.put("reason", f.reason());
            row.put("worker", f.worker());
            row.put("at", f.at().toString());
            failures.add(row);
        }
        body.put("failures", failures);
        return body;
    }

    private static Map<String, Object> summary(Summary s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", s.epoch());
        row.put("clean", s.clean());
        row.putAll(s.robust());
        return row;
    }
}
