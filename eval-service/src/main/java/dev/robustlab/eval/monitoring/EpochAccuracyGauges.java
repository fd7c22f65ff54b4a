package dev.robustlab.eval.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gauges {@code robustlab_epoch_robust_accuracy} and {@code robustlab_epoch_clean_accuracy}, tagged {@code run_id},
 * {@code epoch} and {@code attack}: the accuracies (fractions in [0, 1]) of a completed attack on one epoch's
 * checkpoint, as eval-service merged them. One series per run, epoch and attack; to bound the series, only the
 * {@code robustlab.eval.metrics-max-runs} (default 20) runs updated last keep theirs (a run's gauges go when it is
 * the least recently updated beyond that count). The gauges start empty at every start of the service.
 */
@ApplicationScoped
public class EpochAccuracyGauges {
    /** Prometheus name of the robust-accuracy gauge. */
    public static final String ROBUST = "robustlab.epoch.robust.accuracy";
    /** Prometheus name of the clean-accuracy gauge. */
    public static final String CLEAN = "robustlab.epoch.clean.accuracy";

    private final Map<String, RunGauges> runs = new LinkedHashMap<>(16, 0.75f, true);
    private MeterRegistry registry;
    private int maxRuns;

    EpochAccuracyGauges() {
    }

    @Inject
    public EpochAccuracyGauges(MeterRegistry registry,
            @ConfigProperty(name = "robustlab.eval.metrics-max-runs", defaultValue = "20") int maxRuns) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("robustlab.eval.metrics-max-runs must be at least 1, is " + maxRuns);
        }
        this.registry = registry;
        this.maxRuns = maxRuns;
    }

    /** Sets the gauges of one attack on one epoch of a run (a later call for the same key replaces the values). */
    public synchronized void record(String runId, int epoch, String attack, double cleanAccuracy,
            double robustAccuracy) {
        RunGauges run = runs.computeIfAbsent(runId, id -> new RunGauges());
        Tags tags = Tags.of("run_id", runId, "epoch", Integer.toString(epoch), "attack", attack);
        run.set(registry, ROBUST, tags, robustAccuracy, "Robust accuracy of an epoch's checkpoint under an attack");
        run.set(registry, CLEAN, tags, cleanAccuracy, "Clean accuracy of an epoch's checkpoint on the attacked examples");
        while (runs.size() > maxRuns) {
            String eldest = runs.keySet().iterator().next();
            runs.remove(eldest).removeFrom(registry);
        }
    }

    /** The runs whose gauges are registered, least recently updated first. */
    public synchronized List<String> runs() {
        return new ArrayList<>(runs.keySet());
    }

    /** The gauges of one run; the values are held here strongly (Micrometer holds gauge objects weakly). */
    private static final class RunGauges {
        private final Map<Meter.Id, AtomicLong> values = new LinkedHashMap<>();

        void set(MeterRegistry registry, String name, Tags tags, double value, String description) {
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(value));
            Gauge gauge = Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get())).tags(tags)
                    .description(description).strongReference(true).register(registry);
            AtomicLong known = values.putIfAbsent(gauge.getId(), holder);
            (known == null ? holder : known).set(Double.doubleToLongBits(value));
        }

        void removeFrom(MeterRegistry registry) {
            values.keySet().forEach(registry::remove);
        }
    }
}
