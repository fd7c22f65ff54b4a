package dev.robustlab.eval.messaging;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.EventJson.MalformedEventException;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.eval.live.MetricUpdate;
import dev.robustlab.eval.live.MetricUpdates;
import dev.robustlab.eval.merging.AttackAccuracy;
import dev.robustlab.eval.merging.ResultCheck;
import dev.robustlab.eval.monitoring.EpochAccuracyGauges;
import dev.robustlab.eval.storage.EvalStore;
import dev.robustlab.eval.storage.ShardOutcome;
import dev.robustlab.service.database.Transient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Merges shard results. A duplicate delivery is counted once; the delivery that completes an attack publishes its
 * {@code EpochMetricRecorded} (once; the relay retries it if the broker did not acknowledge) and tells the live
 * subscribers. A result that is not JSON or fails {@link ResultCheck} is refused and lands on the dead-letter topic.
 */
@ApplicationScoped
public class ResultConsumer {
    private static final Logger LOG = Logger.getLogger(ResultConsumer.class);

    @Inject
    EvalStore store;

    @Inject
    MetricPublisher metrics;

    @Inject
    MetricUpdates updates;

    @Inject
    EpochAccuracyGauges gauges;

    @Incoming(Channels.ROBUSTNESS_MEASURED)
    @Blocking
    public void onResult(String payload) {
        RobustnessMeasured m = EventJson.decode(payload, RobustnessMeasured.class);
        List<String> problems = ResultCheck.problems(m);
        if (!problems.isEmpty()) {
            throw new MalformedEventException("refusing result " + m.jobId() + ": " + String.join("; ", problems));
        }
        ShardOutcome outcome = Transient.retry("merging " + m.jobId(), () -> store.recordShard(m));
        if (!outcome.merged()) {
            LOG.debugf("duplicate result for %s ignored", m.jobId());
            return;
        }
        updates.emit(MetricUpdate.shard(m.runId(), m.epoch(), m.attack(), m.shardIndex(), outcome.done(),
                outcome.expected()));
        if (outcome.completed().isEmpty()) {
            return;
        }
        AttackAccuracy a = outcome.completed().get();
        LOG.infof("run %s epoch %d %s complete: clean %.4f robust %.4f on %d examples", m.runId(), m.epoch(),
                m.attack(), a.cleanAccuracy(), a.robustAccuracy(), a.examples());
        gauges.record(m.runId(), m.epoch(), m.attack(), a.cleanAccuracy(), a.robustAccuracy());
        updates.emit(MetricUpdate.attackComplete(m.runId(), m.epoch(), m.attack(), outcome.expected(), a.examples(),
                a.cleanAccuracy(), a.robustAccuracy()));
        EpochMetricRecorded metric = new EpochMetricRecorded(m.runId(), m.epoch(), m.attack(), a.examples(),
                a.cleanAccuracy(), a.robustAccuracy());
        try {
            metrics.publish(List.of(EvalStore.metricEvent(metric)));
        } catch (RuntimeException e) {
            LOG.warnf("publishing the metric of %s/%d/%s failed (%s); the relay will retry", m.runId(), m.epoch(),
                    m.attack(), e.getMessage());
        }
    }
}
