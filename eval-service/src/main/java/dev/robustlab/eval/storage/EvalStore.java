package dev.robustlab.eval.storage;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.AttackFailed;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointCreated;
import dev.robustlab.contracts.event.EpochMetricRecorded;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.eval.merging.AttackAccuracy;
import dev.robustlab.eval.merging.ShardMerge;
import dev.robustlab.eval.merging.ShardResult;
import dev.robustlab.eval.metrics.ProgressRows;
import dev.robustlab.service.database.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The JDBC side of eval-service. Each method is one transaction and idempotent. */
@ApplicationScoped
public class EvalStore {
    @Inject
    DataSource dataSource;

    /**
     * Records a planned checkpoint and its jobs. A checkpoint that was planned before (a redelivered event) plans
     * nothing new.
     *
     * @return the number of jobs newly recorded
     */
    public int recordPlan(CheckpointCreated checkpoint, List<String> attacks, List<AttackRequested> jobs) {
        return Jdbc.inTransaction(dataSource, "recording the plan of " + checkpoint.runId() + "/"
                + checkpoint.epoch(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO eval.checkpoints "
                    + "(run_id, epoch, epochs, attacks, checkpoint, created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                s.setString(1, checkpoint.runId());
                s.setInt(2, checkpoint.epoch());
                s.setInt(3, checkpoint.epochs());
                s.setArray(4, c.createArrayOf("text", attacks.toArray()));
                s.setString(5, EventJson.encode(checkpoint.checkpoint()));
                s.setTimestamp(6, checkpoint.createdAt() == null ? null : Timestamp.from(checkpoint.createdAt()));
                if (s.executeUpdate() == 0) {
                    return 0;
                }
            }
            int recorded = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO eval.jobs (job_id, run_id, epoch, attack, "
                    + "shard_index, shard_count, shard_offset, example_count, seed, payload) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (AttackRequested job : jobs) {
                    s.setString(1, job.jobId());
                    s.setString(2, job.runId());
                    s.setInt(3, job.epoch());
                    s.setString(4, job.attack());
                    s.setInt(5, job.shardIndex());
                    s.setInt(6, job.shardCount());
                    s.setInt(7, job.offset());
                    s.setInt(8, job.count());
                    s.setLong(9, job.seed());
                    s.setString(10, EventJson.encode(job));
                    s.addBatch();
                }
                for (int count : s.executeBatch()) {
                    recorded += Math.max(count, 0);
                }
            }
            return recorded;
        });
    }

    /** Jobs of (run, epoch) that the broker has not acknowledged yet. */
    public List<PendingEvent> unpublishedJobs(String runId, int epoch) {
        return Jdbc.inTransaction(dataSource, "reading unpublished jobs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT job_id, payload FROM eval.jobs "
                    + "WHERE run_id = ? AND epoch = ? AND published_at IS NULL ORDER BY attack, shard_index")) {
                s.setString(1, runId);
                s.setInt(2, epoch);
                return pendingJobs(s);
            }
        });
    }

    /** Jobs planned more than {@code age} ago and still not acknowledged (a publication failed or was cut off). */
    public List<PendingEvent> staleUnpublishedJobs(Duration age, int limit) {
        return Jdbc.inTransaction(dataSource, "reading stale unpublished jobs", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT job_id, payload FROM eval.jobs "
                    + "WHERE published_at IS NULL AND planned_at < ? ORDER BY planned_at LIMIT ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now().minus(age)));
                s.setInt(2, limit);
                return pendingJobs(s);
            }
        });
    }

    private static List<PendingEvent> pendingJobs(PreparedStatement s) throws SQLException {
        List<PendingEvent> pending = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                pending.add(new PendingEvent(r.getString(1), r.getString(1), r.getString(2)));
            }
        }
        return pending;
    }

    /** Marks jobs as acknowledged by the broker. */
    public void markJobsPublished(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        Jdbc.inTransaction(dataSource, "marking jobs published", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE eval.jobs SET published_at = now() "
                    + "WHERE job_id = ANY (?) AND published_at IS NULL")) {
                s.setArray(1, c.createArrayOf("text", jobIds.toArray()));
                return s.executeUpdate();
            }
        });
    }

    /**
     * Merges one shard result. The first delivery of a (run, epoch, attack, shard) is stored; later ones change
     * nothing. When it completes the attack, the merged accuracy is stored once and returned.
     */
    public ShardOutcome recordShard(RobustnessMeasured m) {
        return Jdbc.inTransaction(dataSource, "merging " + m.jobId(), c -> {
            // Serialises merges of the same (run, epoch, attack) across consumers and replicas.
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, m.runId() + "/" + m.epoch() + "/" + m.attack());
                s.execute();
            }
            boolean merged;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO eval.shard_results (run_id, epoch, attack, "
                    + "shard_index, shard_count, shard_offset, examples, correct_clean, robust, robust_flags, "
                    + "seconds, worker, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                s.setString(1, m.runId());
                s.setInt(2, m.epoch());
                s.setString(3, m.attack());
                s.setInt(4, m.shardIndex());
                s.setInt(5, m.shardCount());
                s.setInt(6, m.offset());
                s.setInt(7, m.examples());
                s.setInt(8, m.correctClean());
                s.setInt(9, m.robust());
                s.setArray(10, c.createArrayOf("boolean", m.robustFlags().toArray()));
                s.setDouble(11, m.seconds());
                s.setString(12, m.worker());
                s.setString(13, m.jobId());
                merged = s.executeUpdate() == 1;
            }
            int planned;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM eval.jobs "
                    + "WHERE run_id = ? AND epoch = ? AND attack = ?")) {
                bindAttack(s, m.runId(), m.epoch(), m.attack());
                planned = single(s);
            }
            int expected = planned > 0 ? planned : m.shardCount();
            List<ShardResult> shards = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT shard_index, shard_offset, examples, "
                    + "correct_clean, robust FROM eval.shard_results WHERE run_id = ? AND epoch = ? AND attack = ?")) {
                bindAttack(s, m.runId(), m.epoch(), m.attack());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        shards.add(new ShardResult(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(5)));
                    }
                }
            }
            if (!merged) {
                return new ShardOutcome(false, shards.size(), expected, Optional.empty());
            }
            Optional<AttackAccuracy> accuracy = ShardMerge.merge(shards, expected);
            if (accuracy.isEmpty()) {
                return new ShardOutcome(true, shards.size(), expected, Optional.empty());
            }
            AttackAccuracy a = accuracy.get();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO eval.attack_metrics (run_id, epoch, attack, "
                    + "examples, correct_clean, robust, clean_accuracy, robust_accuracy) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                bindAttack(s, m.runId(), m.epoch(), m.attack());
                s.setInt(4, a.examples());
                s.setInt(5, a.correctClean());
                s.setInt(6, a.robust());
                s.setDouble(7, a.cleanAccuracy());
                s.setDouble(8, a.robustAccuracy());
                boolean completedNow = s.executeUpdate() == 1;
                return new ShardOutcome(true, shards.size(), expected,
                        completedNow ? accuracy : Optional.empty());
            }
        });
    }

    /** Completed attacks whose EpochMetricRecorded the broker has not acknowledged, completed before {@code age}. */
    public List<PendingEvent> staleUnpublishedMetrics(Duration age, int limit) {
        return Jdbc.inTransaction(dataSource, "reading unpublished metrics", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT run_id, epoch, attack, examples, clean_accuracy, "
                    + "robust_accuracy FROM eval.attack_metrics WHERE published_at IS NULL AND completed_at < ? "
                    + "ORDER BY completed_at LIMIT ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now().minus(age)));
                s.setInt(2, limit);
                List<PendingEvent> pending = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        pending.add(metricEvent(new EpochMetricRecorded(r.getString(1), r.getInt(2),
                                r.getString(3), r.getInt(4), r.getDouble(5), r.getDouble(6))));
                    }
                }
                return pending;
            }
        });
    }

    /** The pending publication of {@code metric}: CloudEvents id {@code <run>/<epoch>/<attack>}, key run id. */
    public static PendingEvent metricEvent(EpochMetricRecorded metric) {
        return new PendingEvent(metric.runId() + "/" + metric.epoch() + "/" + metric.attack(), metric.runId(),
                EventJson.encode(metric));
    }

    /** Marks the metric with CloudEvents id {@code <run>/<epoch>/<attack>} as acknowledged by the broker. */
    public void markMetricPublished(String runId, int epoch, String attack) {
        Jdbc.inTransaction(dataSource, "marking a metric published", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE eval.attack_metrics SET published_at = now() "
                    + "WHERE run_id = ? AND epoch = ? AND attack = ? AND published_at IS NULL")) {
                bindAttack(s, runId, epoch, attack);
                return s.executeUpdate();
            }
        });
    }

    /** Records a failed job; the same failure delivered twice is recorded once. @return whether it was new */
    public boolean recordFailure(AttackFailed f) {
        return Jdbc.inTransaction(dataSource, "recording the failure of " + f.jobId(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO eval.job_failures (job_id, run_id, epoch, "
                    + "attack, shard_index, reason, worker) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, f.jobId());
                s.setString(2, f.runId());
                s.setInt(3, f.epoch());
                s.setString(4, f.attack());
                s.setInt(5, f.shardIndex());
                s.setString(6, f.reason() == null ? "" : f.reason());
                s.setString(7, f.worker() == null ? "" : f.worker());
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Everything known about {@code runId}; empty when nothing is. */
    public Optional<RunData> load(String runId) {
        return Jdbc.inTransaction(dataSource, "reading run " + runId, c -> {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            List<ProgressRows.PlannedEpoch> planned = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT epoch, attacks FROM eval.checkpoints WHERE run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Array attacks = r.getArray(2);
                        planned.add(new ProgressRows.PlannedEpoch(r.getInt(1),
                                Arrays.asList((String[]) attacks.getArray())));
                    }
                }
            }
            List<ProgressRows.PlannedAttack> jobs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT epoch, attack, count(*) FROM eval.jobs "
                    + "WHERE run_id = ? GROUP BY epoch, attack")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        jobs.add(new ProgressRows.PlannedAttack(r.getInt(1), r.getString(2), r.getInt(3)));
                    }
                }
            }
            List<ProgressRows.MeasuredAttack> measured = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT epoch, attack, count(*), max(shard_count) "
                    + "FROM eval.shard_results WHERE run_id = ? GROUP BY epoch, attack")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        measured.add(new ProgressRows.MeasuredAttack(r.getInt(1), r.getString(2), r.getInt(3),
                                r.getInt(4)));
                    }
                }
            }
            List<ProgressRows.CompletedAttack> completed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT epoch, attack, examples, correct_clean, robust "
                    + "FROM eval.attack_metrics WHERE run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        completed.add(new ProgressRows.CompletedAttack(r.getInt(1), r.getString(2),
                                AttackAccuracy.of(r.getInt(3), r.getInt(4), r.getInt(5))));
                    }
                }
            }
            List<RunData.Failure> failures = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT job_id, epoch, attack, shard_index, reason, "
                    + "worker, failed_at FROM eval.job_failures WHERE run_id = ? ORDER BY failed_at, id")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String worker = r.getString(6);
                        failures.add(new RunData.Failure(r.getString(1), r.getInt(2), r.getString(3), r.getInt(4),
                                r.getString(5), worker.isEmpty() ? null : worker, r.getTimestamp(7).toInstant()));
                    }
                }
            }
            if (planned.isEmpty() && measured.isEmpty() && failures.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RunData(ProgressRows.assemble(planned, jobs, measured, completed), failures));
        });
    }

    private static void bindAttack(PreparedStatement s, String runId, int epoch, String attack) throws SQLException {
        s.setString(1, runId);
        s.setInt(2, epoch);
        s.setString(3, attack);
    }

    private static int single(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }
}
