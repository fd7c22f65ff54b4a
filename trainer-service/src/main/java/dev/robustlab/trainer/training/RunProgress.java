package dev.robustlab.trainer.training;

import dev.robustlab.service.worker.progress.WorkProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;

/**
 * What this trainer is doing now: the run it holds and when that run last made progress (started, or finished
 * an epoch). The liveness check reads it; the run loop writes it. At most one run at a time.
 */
@ApplicationScoped
public class RunProgress extends WorkProgress<RunProgress.Run> {

    /**
     * A run in progress.
     *
     * @param runId      run id
     * @param epochsDone epochs finished
     * @param epochs     epochs of the run
     */
    public record Run(String runId, int epochsDone, int epochs) {
    }

    public RunProgress() {
        this(InstantSource.system());
    }

    RunProgress(InstantSource clock) {
        super(clock);
    }

    /** A run begins. */
    public void begin(String runId, int epochs) {
        start(new Run(runId, 0, epochs));
    }

    /** The current run finished epoch {@code epoch}. */
    public void epochDone(int epoch) {
        progressed(run -> new Run(run.runId(), epoch, run.epochs()));
    }

    @Override
    protected String describeStall(Current<Run> stalled, Duration quiet, Duration stallTimeout) {
        Run run = stalled.work();
        return "run " + run.runId() + " made no progress for " + quiet.toSeconds() + " s (limit "
                + stallTimeout.toSeconds() + " s); last progress at " + stalled.lastProgressAt() + ", "
                + run.epochsDone() + " of " + run.epochs() + " epochs done";
    }
}
