package dev.robustlab.ml.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.attack.Attack;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.model.Classifier;

import java.util.SplittableRandom;

/**
 * Measures a classifier on labelled examples, batch by batch: whether each example is classified correctly clean,
 * and whether it still is under an attack (robust = correct clean AND correct on the adversarial example). Each
 * batch lives in its own sub-manager.
 */
public final class RobustnessEvaluator {
    /** Examples per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    private final int batchSize;

    /** @param batchSize examples per forward pass */
    public RobustnessEvaluator(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** With {@link #DEFAULT_BATCH_SIZE}. */
    public RobustnessEvaluator() {
        this(DEFAULT_BATCH_SIZE);
    }

    /**
     * Clean correctness and robustness of every example.
     *
     * @param model    the classifier
     * @param examples the examples, in order
     * @param attack   the attack, or null for clean accuracy only (then robust flags equal clean ones)
     * @param random   the stream random starts draw from, in example order
     * @param manager  batches are created in sub-managers of it
     */
    public ShardResult evaluate(Classifier model, LabeledExamples examples, Attack attack, SplittableRandom random,
                                NDManager manager) {
        int n = examples.size();
        boolean[] robust = new boolean[n];
        int correctClean = 0;
        int robustCount = 0;
        for (int offset = 0; offset < n; offset += batchSize) {
            int count = Math.min(batchSize, n - offset);
            try (NDManager batch = manager.newSubManager()) {
                NDList data = examples.batch(batch, offset, count);
                NDArray x = data.get(0);
                NDArray y = data.get(1);
                boolean[] clean = correct(model, x, y);
                boolean[] adversarial = clean;
                if (attack != null) {
                    NDArray xAdv = attack.perturb(model, x, y, random);
                    adversarial = correct(model, xAdv, y);
                }
                for (int i = 0; i < count; i++) {
                    boolean isRobust = clean[i] && adversarial[i];
                    robust[offset + i] = isRobust;
                    correctClean += clean[i] ? 1 : 0;
                    robustCount += isRobust ? 1 : 0;
                }
            }
        }
        return new ShardResult(n, correctClean, robustCount, robust);
    }

    /** Per example, whether the arg-max logit is the label. */
    public static boolean[] correct(Classifier model, NDArray x, NDArray labels) {
        try (NDManager scope = x.getManager().newSubManager()) {
            scope.tempAttachAll(x, labels);
            NDArray predictions = model.logits(x, false).argMax(1);
            return predictions.eq(labels).toBooleanArray();
        }
    }
}
