package dev.robustlab.attack.evaluation;

import dev.robustlab.attack.storage.CheckpointCache;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.service.worker.runtime.DataDirectory;
import dev.robustlab.service.worker.runtime.DjlRuntime;
import dev.robustlab.service.worker.runtime.WorkerIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one attack job: fetch the verified checkpoint, attack the shard, describe the result. The job's seed goes
 * to ShardEvaluation unchanged, so a redelivered job measures the same thing.
 *
 * <p>Failures: {@link dev.robustlab.attack.storage.CheckpointRejectedException} and {@link JobRejectedException}
 * (the job cannot be done), {@link dev.robustlab.attack.storage.StorageUnavailableException} (S3 failed; the job
 * may be tried again); anything else is a failure of the evaluation itself.
 */
@ApplicationScoped
public class AttackJobRunner {

    private final CheckpointCache checkpoints;
    private final WorkerIdentity identity;
    private final DataDirectory data;

    @Inject
    public AttackJobRunner(CheckpointCache checkpoints, WorkerIdentity identity, DataDirectory data) {
        this.checkpoints = checkpoints;
        this.identity = identity;
        this.data = data;
    }

    public RobustnessMeasured run(AttackRequested job) {
        requireComplete(job);
        byte[] checkpoint = checkpoints.fetch(job.checkpoint());
        DjlRuntime.ensureOffline();
        long start = System.nanoTime();
        ShardResult result;
        try {
            result = ShardEvaluation.run(checkpoint, job.model(), job.dataset(), data.root(), job.attack(),
                    job.norm(), job.epsilon(), job.stepSize(), job.offset(), job.count(), job.seed());
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("ShardEvaluation refused job " + job.jobId() + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        requireConsistent(job, result);
        return new RobustnessMeasured(job.jobId(), job.runId(), job.epoch(), job.attack(), job.shardIndex(),
                job.shardCount(), job.offset(), result.examples(), result.correctClean(), result.robust(),
                flags(result.robustFlags()), seconds, identity.id());
    }

    /** Fields the evaluation cannot do without; a job lacking them is refused before anything is fetched. */
    static void requireComplete(AttackRequested job) {
        List<String> missing = new ArrayList<>();
        if (job.checkpoint() == null) {
            missing.add("checkpoint");
        }
        if (job.model() == null) {
            missing.add("model");
        }
        if (job.dataset() == null) {
            missing.add("dataset");
        }
        if (job.attack() == null) {
            missing.add("attack");
        }
        if (job.norm() == null) {
            missing.add("norm");
        }
        if (!missing.isEmpty()) {
            throw new JobRejectedException("job " + job.jobId() + " lacks " + String.join(", ", missing));
        }
        if (job.count() < 1 || job.offset() < 0) {
            throw new JobRejectedException("job " + job.jobId() + " asks for " + job.count() + " examples from "
                    + job.offset() + ": needs count >= 1 and offset >= 0");
        }
    }

    /** A result that contradicts itself would corrupt the merged metrics: refuse it instead. */
    static void requireConsistent(AttackRequested job, ShardResult result) {
        boolean[] flags = result.robustFlags();
        if (flags == null || flags.length != result.examples() || result.examples() != job.count()
                || result.robust() > result.correctClean() || result.correctClean() > result.examples()) {
            throw new IllegalStateException("inconsistent result for job " + job.jobId() + ": " + job.count()
                    + " asked, " + result.examples() + " examples, " + result.correctClean() + " correct, "
                    + result.robust() + " robust, " + (flags == null ? "no" : flags.length) + " flags");
        }
        int robust = 0;
        for (boolean flag : flags) {
            robust += flag ? 1 : 0;
        }
        if (robust != result.robust()) {
            throw new IllegalStateException("inconsistent result for job " + job.jobId() + ": " + result.robust()
                    + " robust but " + robust + " flags set");
        }
    }

    static List<Boolean> flags(boolean[] flags) {
        List<Boolean> list = new ArrayList<>(flags.length);
        for (boolean flag : flags) {
            list.add(flag);
        }
        return list;
    }
}
