package dev.robustlab.service.worker.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The long piece of work a worker is on (a training run, an attack job) and when it last made progress. The worker
 * writes it, a liveness check reads it ({@link #stallProblem}): work that made no progress for longer than a stall
 * timeout looks stuck, and a failing liveness probe restarts the process. At most one piece of work at a time.
 *
 * <p>A service subclasses it as an {@code @ApplicationScoped} bean: it names the work ({@code W}, e.g. a run id and
 * its epochs), says what counts as progress, and words the problem a stall reports.
 *
 * @param <W> what the service records about the work in progress
 */
public abstract class WorkProgress<W> {

    /**
     * Work in progress.
     *
     * @param work           what the service records about it
     * @param startedAt      when the worker took it
     * @param lastProgressAt when it started or last made progress
     * @param <W>            what the service records about the work
     */
    public record Current<W>(W work, Instant startedAt, Instant lastProgressAt) {
    }

    private final InstantSource clock;
    private volatile Current<W> current;

    /** @param clock what tells the time; {@link InstantSource#system()} outside tests */
    protected WorkProgress(InstantSource clock) {
        this.clock = clock;
    }

    /** Work begins; it counts as progress. */
    protected void start(W work) {
        Instant now = clock.instant();
        current = new Current<>(work, now, now);
    }

    /** The current work made progress, and is now {@code update} of what it was. Nothing while idle. */
    protected void progressed(UnaryOperator<W> update) {
        Current<W> c = current;
        if (c != null) {
            current = new Current<>(update.apply(c.work()), c.startedAt(), clock.instant());
        }
    }

    /** The current work ended (completed, failed or abandoned). */
    public void end() {
        current = null;
    }

    public Optional<Current<W>> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Null while idle or while the current work made progress within {@code stallTimeout}; otherwise why the work
     * looks stuck.
     */
    public String stallProblem(Duration stallTimeout) {
        Current<W> c = current;
        if (c == null) {
            return null;
        }
        Duration quiet = Duration.between(c.lastProgressAt(), clock.instant());
        if (quiet.compareTo(stallTimeout) <= 0) {
            return null;
        }
        return describeStall(c, quiet, stallTimeout);
    }

    /**
     * Why {@code stalled} looks stuck, for a person: it made no progress for {@code quiet}, longer than
     * {@code stallTimeout}.
     */
    protected abstract String describeStall(Current<W> stalled, Duration quiet, Duration stallTimeout);
}
