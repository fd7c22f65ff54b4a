package dev.robustlab.attack.evaluation;

import dev.robustlab.service.worker.progress.WorkProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.UnaryOperator;

/**
 * The job this worker is on (its id) and since when (or since its last retry). ShardEvaluation reports no progress
 * within a job, so a job counts as stuck when it has run longer than the stall timeout. At most one job at a time.
 */
@ApplicationScoped
public class JobProgress extends WorkProgress<String> {

    public JobProgress() {
        this(InstantSource.system());
    }

    JobProgress(InstantSource clock) {
        super(clock);
    }

    /** Job {@code jobId} begins. */
    public void begin(String jobId) {
        start(jobId);
    }

    /** The job moved on (e.g. a new attempt after S3 failed). */
    public void progressed() {
        progressed(UnaryOperator.identity());
    }

    @Override
    protected String describeStall(Current<String> stalled, Duration quiet, Duration stallTimeout) {
        return "job " + stalled.work() + " made no progress for " + quiet.toSeconds() + " s (limit "
                + stallTimeout.toSeconds() + " s), started at " + stalled.startedAt();
    }
}
