package dev.robustlab.service.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    @Test
    void scrapeIsPrometheusTextWithJvmMetersAndTheApplicationTag() {
        PrometheusMeterRegistry registry = MetricsRegistry.create("eval-service");
        try {
            Counter.builder("robustlab.test.events").register(registry).increment(3);
            String text = registry.scrape();
            assertTrue(text.contains("# TYPE robustlab_test_events_total counter"), text);
            assertTrue(text.contains("robustlab_test_events_total{application=\"eval-service\"} 3.0"), text);
            assertTrue(text.contains("jvm_memory_used_bytes{application=\"eval-service\""), "JVM meters missing");
            assertTrue(text.contains("process_uptime_seconds{application=\"eval-service\"}"), "uptime missing");
        } finally {
            registry.close();
        }
    }
}
