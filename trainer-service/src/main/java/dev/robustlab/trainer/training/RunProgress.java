package dev.robustlab.trainer.training;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What this trainer is doing now: the run it holds and when that run last made progress (started, or finished
 * an epoch). The liveness check reads it; the run loop writes it. At most one run at a time.
 */
@ApplicationScoped
public class RunProgress {

    /**
     * A run in progress.
     *
     * @param runId          run id
     * @param epochsDone     epochs finished
     * @param epochs         epochs of the run
     * @param startedAt      when training began
     * @param lastProgressAt when the run last started or finished an epoch
     */
    public record Current(String runId, int epochsDone, int epochs, Instant startedAt, Instant lastProgressAt) {
    }

    private final Clock clock;
    private volatile Current current;

    public RunProgress() {
        this(Clock.systemUTC());
    }

    RunProgress(Clock clock) {
        this.clock = clock;
    }

    /** A run begins. */
    public void begin(String runId, int epochs) {
        Instant now = clock.instant();
        current = new Current(runId, 0, epochs, now, now);
    }

    /** The current run finished epoch {@code epoch}. */
    public void epochDone(int epoch) {
        Current c = current;
        if (c != null) {
            current = new Current(c.runId(), epoch, c.epochs(), c.startedAt(), clock.instant());
        }
    }

    /** The current run ended (completed, failed or abandoned). */
    public void end() {
        current = null;
    }

    public Optional<Current> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Null while idle or while the current run made progress within {@code stallTimeout}; otherwise why the run
     * looks stuck.
     */
    public String stallProblem(Duration stallTimeout) {
        Current c = current;
        if (c == null) {
            return null;
        }
        Duration quiet = Duration.between(c.lastProgressAt(), clock.instant());
        if (quiet.compareTo(stallTimeout) <= 0) {
            return null;
        }
        return "run " + c.runId() + " made no progress for " + quiet.toSeconds() + " s (limit "
                + stallTimeout.toSeconds() + " s); last progress at " + c.lastProgressAt() + ", " + c.epochsDone()
                + " of " + c.epochs() + " epochs done";
    }
}
