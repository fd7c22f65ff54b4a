package dev.robustlab.eval.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.service.metrics.MetricsRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochAccuracyGaugesTest {

    @Test
    void eachEpochAndAttackIsOneSeriesWithTheLatestValues() {
        PrometheusMeterRegistry registry = MetricsRegistry.create("eval-service");
        EpochAccuracyGauges gauges = new EpochAccuracyGauges(registry, 20);
        gauges.record("run-a", 1, "pgd-20", 0.9, 0.40);
        gauges.record("run-a", 2, "pgd-20", 0.9, 0.45);
        gauges.record("run-a", 2, "cw-inf", 0.9, 0.43);
        gauges.record("run-a", 2, "pgd-20", 0.91, 0.5); // a replayed merge replaces the value
        String text = registry.scrape();
        assertTrue(text.contains("robustlab_epoch_robust_accuracy{application=\"eval-service\",attack=\"pgd-20\","
                + "epoch=\"1\",run_id=\"run-a\"} 0.4"), text);
        assertTrue(text.contains("robustlab_epoch_robust_accuracy{application=\"eval-service\",attack=\"pgd-20\","
                + "epoch=\"2\",run_id=\"run-a\"} 0.5"), text);
        assertTrue(text.contains("robustlab_epoch_robust_accuracy{application=\"eval-service\",attack=\"cw-inf\","
                + "epoch=\"2\",run_id=\"run-a\"} 0.43"), text);
        assertTrue(text.contains("robustlab_epoch_clean_accuracy{application=\"eval-service\",attack=\"pgd-20\","
                + "epoch=\"2\",run_id=\"run-a\"} 0.91"), text);
        assertEquals(3, registry.find(EpochAccuracyGauges.ROBUST).gauges().size());
    }

    @Test
    void onlyTheRunsUpdatedLastKeepTheirSeries() {
        PrometheusMeterRegistry registry = MetricsRegistry.create("eval-service");
        EpochAccuracyGauges gauges = new EpochAccuracyGauges(registry, 2);
        gauges.record("run-a", 1, "pgd-20", 0.9, 0.4);
        gauges.record("run-b", 1, "pgd-20", 0.9, 0.4);
        gauges.record("run-a", 2, "pgd-20", 0.9, 0.4); // run-a is now the most recently updated
        gauges.record("run-c", 1, "pgd-20", 0.9, 0.4); // evicts run-b
        assertEquals(List.of("run-a", "run-c"), gauges.runs());
        String text = registry.scrape();
        assertFalse(text.contains("run_id=\"run-b\""), text);
        assertTrue(text.contains("run_id=\"run-a\""));
        assertEquals(3, registry.find(EpochAccuracyGauges.ROBUST).gauges().size());
        assertEquals(3, registry.find(EpochAccuracyGauges.CLEAN).gauges().size());
    }

    @Test
    void aNonPositiveRunLimitIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EpochAccuracyGauges(MetricsRegistry.create("eval-service"), 0));
        assertTrue(e.getMessage().contains("robustlab.eval.metrics-max-runs"), e.getMessage());
    }
}
