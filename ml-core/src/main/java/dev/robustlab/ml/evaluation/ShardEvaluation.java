package dev.robustlab.ml.evaluation;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;

/**
 * Runs one evaluation attack on one shard of a dataset's test split against a checkpoint: the entry point
 * attack-service uses.
 */
public final class ShardEvaluation {

    private ShardEvaluation() {
    }

    /**
     * @param checkpoint bytes written by {@link dev.robustlab.ml.training.TrainingRun#checkpoint()}
     * @param model      the run's model spec
     * @param dataset    the run's dataset spec (its test split is attacked)
     * @param attack     {@code pgd-20} or {@code cw-inf}
     * @param norm       {@code linf}
     * @param epsilon    radius ε
     * @param stepSize   step size α
     * @param offset     first test example of the shard
     * @param count      examples in the shard
     * @param seed       seed of the random start
     * @throws IllegalArgumentException on an unknown attack or norm, a shard outside the test split, or bytes that
     *                                  are not a checkpoint of this model
     */
    public static ShardResult run(byte[] checkpoint, ModelSpec model, DatasetSpec dataset, String attack,
                                  String norm, double epsilon, double stepSize, int offset, int count, long seed) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
