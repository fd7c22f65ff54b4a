package dev.robustlab.attack.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The job this worker is on and since when (or since its last retry). ShardEvaluation reports no progress within
 * a job, so a job counts as stuck when it has run longer than the stall timeout. At most one job at a time.
 */
@ApplicationScoped
public class JobProgress {

    /**
     * A job in progress.
     *
     * @param jobId          the job
     * @param startedAt      when this worker took it
     * @param lastProgressAt when it started or last began an attempt
     */
    public record Current(String jobId, Instant startedAt, Instant lastProgressAt) {
    }

    private final Clock clock;
    private volatile Current current;

    public JobProgress() {
        this(Clock.systemUTC());
    }

    JobProgress(Clock clock) {
        this.clock = clock;
    }

    public void begin(String jobId) {
        Instant now = clock.instant();
        current = new Current(jobId, now, now);
    }

    /** The job moved on (e.g. a new attempt after S3 failed). */
    public void progressed() {
        Current c = current;
        if (c != null) {
            current = new Current(c.jobId(), c.startedAt(), clock.instant());
        }
    }

    public void end() {
        current = null;
    }

    public Optional<Current> current() {
        return Optional.ofNullable(current);
    }

    /** Null while idle or within {@code stallTimeout} of the last progress; otherwise why the job looks stuck. */
    public String stallProblem(Duration stallTimeout) {
        Current c = current;
        if (c == null) {
            return null;
        }
        Duration quiet = Duration.between(c.lastProgressAt(), clock.instant());
        if (quiet.compareTo(stallTimeout) <= 0) {
            return null;
        }
        return "job " + c.jobId() + " made no progress for " + quiet.toSeconds() + " s (limit "
                + stallTimeout.toSeconds() + " s), started at " + c.startedAt();
    }
}
