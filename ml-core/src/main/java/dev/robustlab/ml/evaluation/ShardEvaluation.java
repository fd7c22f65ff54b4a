package dev.robustlab.ml.evaluation;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.Datasets;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;

import java.nio.file.Path;

/**
 * Runs one evaluation attack on one shard of a dataset's test split against a checkpoint: the entry point
 * attack-service uses.
 *
 * <p>Deterministic: the same arguments give the same flags (random starts come from {@code seed}, drawn in example
 * order). Calls from several threads of one JVM are safe; their gradient passes take turns (one gradient collector
 * per process). Every array lives in a base manager closed before returning.
 */
public final class ShardEvaluation {

    private ShardEvaluation() {
    }

    /**
     * @param checkpoint bytes written by {@link dev.robustlab.ml.training.TrainingRun#checkpoint()}
     * @param model      the run's model spec
     * @param dataset    the run's dataset spec (its test split is attacked)
     * @param attack     an id of {@link EvaluationPlan#KNOWN_ATTACKS}, see {@link Attacks#evaluation}
     * @param norm       {@code linf}
     * @param epsilon    radius ε
     * @param stepSize   step size α
     * @param offset     first test example of the shard
     * @param count      examples in the shard
     * @param seed       seed of all the attack's randomness (random starts, Square's windows, AutoAttack's
     *                   components)
     * @throws IllegalArgumentException on an unknown attack or norm, an attack that needs more classes than the
     *                                  dataset has, a shard outside the test split, or bytes that are not a
     *                                  checkpoint of this model
     */
    public static ShardResult run(byte[] checkpoint, ModelSpec model, DatasetSpec dataset, String attack,
                                  String norm, double epsilon, double stepSize, int offset, int count, long seed) {
        return run(checkpoint, model, dataset, null, attack, norm, epsilon, stepSize, offset, count, seed);
    }

    /**
     * As {@link #run(byte[], ModelSpec, DatasetSpec, String, String, double, double, int, int, long)}, with image
     * datasets read from {@code dataRoot} ({@link Datasets#directory}; null: their default directories). Only the
     * shard's examples are read.
     */
    public static ShardResult run(byte[] checkpoint, ModelSpec model, DatasetSpec dataset, Path dataRoot,
                                  String attack, String norm, double epsilon, double stepSize, int offset, int count,
                                  long seed) {
        Attack adversary = Attacks.evaluation(attack, norm, epsilon, stepSize);
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint is required");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be ≥ 1, got " + count);
        }
        int classes = DatasetSpec.classes(dataset == null ? null : dataset.name()).orElse(Integer.MAX_VALUE);
        if (classes < EvaluationPlan.minClasses(attack)) {
            throw new IllegalArgumentException("'" + attack + "' needs at least " + EvaluationPlan.minClasses(attack)
                    + " classes; dataset " + dataset.name() + " has " + classes);
        }
        LabeledExamples shard = Datasets.testShard(dataset, dataRoot, offset, count);
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier classifier = Checkpoints.read(checkpoint, model, shard.exampleShape(), shard.classes(),
                     manager)) {
            return new RobustnessEvaluator().evaluate(classifier, shard, adversary,
                    Seeds.stream(seed, "evaluation/" + attack), manager);
        }
    }
}
