package dev.robustlab.ml.engine;

import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.ml.TestSpecs;
import dev.robustlab.ml.evaluation.ShardEvaluation;
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.ml.training.TrainingRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** DJL allows one open gradient collector per process; concurrent shard evaluations take turns instead of failing. */
class GradientScopeTest {

    @Test
    void concurrentShardEvaluationsSucceedAndAgreeWithSequentialOnes() throws Exception {
        RunSpec spec = TestSpecs.small(false, 1);
        byte[] checkpoint;
        try (TrainingRun run = TrainingRun.start(spec)) {
            run.trainEpoch();
            checkpoint = run.checkpoint();
        }
        ShardResult sequential = evaluate(checkpoint, spec);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<ShardResult>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> evaluate(checkpoint, spec)));
            }
            for (Future<ShardResult> result : results) {
                assertArrayEquals(sequential.robustFlags(), result.get().robustFlags());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainingOnAWorkerThreadMatchesTrainingOnTheEngineThread() throws Exception {
        // PyTorch's grad mode is thread-local and on by default in threads other than the one that started the
        // engine: in-place parameter updates must still work there, and give the same parameters.
        RunSpec spec = TestSpecs.small(true, 2);
        byte[] here = train(spec);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            byte[] there = worker.submit(() -> train(spec)).get();
            assertArrayEquals(here, there);
        } finally {
            worker.shutdownNow();
        }
    }

    private static byte[] train(RunSpec spec) {
        try (TrainingRun run = TrainingRun.start(spec)) {
            run.trainEpoch();
            run.trainEpoch();
            return run.checkpoint();
        }
    }

    private static ShardResult evaluate(byte[] checkpoint, RunSpec spec) {
        return ShardEvaluation.run(checkpoint, spec.model(), spec.dataset(), "pgd-20", "linf", 0.1, 0.025, 0, 200, 5L);
    }
}
