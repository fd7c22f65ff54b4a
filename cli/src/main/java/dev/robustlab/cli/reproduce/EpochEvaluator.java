package dev.robustlab.cli.reproduce;

import ai.djl.ndarray.NDManager;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.checkpoint.Checkpoints;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.evaluation.RobustnessEvaluator;
import dev.robustlab.ml.evaluation.ShardResult;
import dev.robustlab.ml.model.Classifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a checkpoint on fixed test examples as attack-service measures a shard
 * ({@link dev.robustlab.ml.evaluation.ShardEvaluation}): each attack on its own, an example robust when it is
 * classified correctly clean and at the attack's output, random starts from {@code Seeds.stream(seed,
 * "evaluation/" + attack)}. Every epoch and every method therefore meets the same random starts, so differences
 * between epochs are the model's, not the draw's.
 */
public final class EpochEvaluator {
    private final LabeledExamples examples;
    private final String norm;
    private final double epsilon;
    private final double stepSize;
    private final long seed;
    private final RobustnessEvaluator evaluator = new RobustnessEvaluator();

    /**
     * @param examples the test examples, all of them attacked
     * @param norm     {@code linf} or {@code l2}
     * @param epsilon  radius ε
     * @param stepSize α of the fixed-step attacks (PGD-20, CW∞)
     * @param seed     seed of the attacks' random draws
     */
    public EpochEvaluator(LabeledExamples examples, String norm, double epsilon, double stepSize, long seed) {
        this.examples = examples;
        this.norm = norm;
        this.epsilon = epsilon;
        this.stepSize = stepSize;
        this.seed = seed;
    }

    /** The number of test examples measured. */
    public int examples() {
        return examples.size();
    }

    /**
     * The accuracies of a checkpoint: {@code clean} (only when {@code withClean}), then the robust accuracy under
     * each attack, fractions of {@link #examples()}. Every array lives in a sub-manager of {@code parent}, closed
     * before returning.
     *
     * @param checkpoint bytes of {@link dev.robustlab.ml.training.TrainingRun#checkpoint()}
     * @param model      the run's model spec
     * @param attacks    evaluation attack ids ({@link Attacks#evaluation})
     * @param withClean  whether to report the clean accuracy too
     */
    public Map<String, Double> evaluate(byte[] checkpoint, ModelSpec model, List<String> attacks, boolean withClean,
                                        NDManager parent) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (NDManager scope = parent.newSubManager();
             Classifier classifier = Checkpoints.read(checkpoint, model, examples.exampleShape(), examples.classes(),
                     scope)) {
            int n = examples.size();
            if (withClean) {
                ShardResult clean = evaluator.evaluate(classifier, examples, null, null, scope);
                metrics.put(EpochRecord.CLEAN, (double) clean.correctClean() / n);
            }
            for (String attack : attacks) {
                ShardResult result = evaluator.evaluate(classifier, examples,
                        Attacks.evaluation(attack, norm, epsilon, stepSize), Seeds.stream(seed, "evaluation/" + attack),
                        scope);
                metrics.put(attack, (double) result.robust() / n);
            }
        }
        return metrics;
    }
}
