package dev.robustlab.cli.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustlab.contracts.EventJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTablesTest {
    private static final List<String> ATTACKS = List.of("pgd-20", "cw-inf");

    private static JsonNode metrics() throws Exception {
        return EventJson.mapper().readTree("""
                {"epochs": [
                  {"epoch": 1, "clean": 0.9, "pgd-20": 0.5, "cw-inf": 0.45, "complete": true},
                  {"epoch": 2, "clean": 0.95, "pgd-20": 0.4, "cw-inf": 0.375, "complete": true},
                  {"epoch": 3, "clean": null, "pgd-20": null, "cw-inf": null, "complete": false}],
                 "best": {"epoch": 1, "clean": 0.9, "pgd-20": 0.5, "cw-inf": 0.45},
                 "final": {"epoch": 2, "clean": 0.95, "pgd-20": 0.4, "cw-inf": 0.375},
                 "diff": {"clean": -0.05, "pgd-20": 0.1, "cw-inf": 0.075}}
                """);
    }

    @Test
    void perEpochShowsPercentagesAndDashesForMissingValues() throws Exception {
        String expected = """
                Epoch  Clean  PGD-20    CW∞
                ---------------------------
                1      90.00   50.00  45.00
                2      95.00   40.00  37.50
                3          -       -      -
                """;
        assertEquals(expected, MetricsTables.perEpoch(metrics(), ATTACKS));
    }

    @Test
    void bestFinalDiffHasOneRowPerRunWithBestFinalAndDiffOfEveryMetric() throws Exception {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        runs.put("PGD-AT", metrics());
        String[] lines = MetricsTables.bestFinalDiff(runs, ATTACKS).split("\n");
        assertEquals(3, lines.length);
        assertEquals(List.of("Method", "Best", "ep.", "Final", "ep.", "Clean", "best", "Clean", "final", "Clean", "diff",
                "PGD-20", "best", "PGD-20", "final", "PGD-20", "diff", "CW∞", "best", "CW∞", "final", "CW∞", "diff"),
                List.of(lines[0].trim().split("\\s+")));
        assertEquals(List.of("PGD-AT", "1", "2", "90.00", "95.00", "-5.00", "50.00", "40.00", "10.00", "45.00",
                "37.50", "7.50"), List.of(lines[2].trim().split("\\s+")));
    }
}
