package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every evaluation attack, with the defaults {@link Attacks#evaluation} gives it, in every norm it runs in, on
 * images: a {@code small-cnn} on {@code (B, 1, 28, 28)} inputs. The other attack tests use flat inputs; reductions
 * over several feature axes (norms, projections, Square's windows) are only exercised here.
 */
class ImageInputTest {
    private static final int N = 4;
    private static final Shape IMAGE = new Shape(1, 28, 28);

    @Test
    void everyEvaluationAttackRunsOnImagesAndKeepsItsInvariants() {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = Models.create(new ModelSpec(Models.SMALL_CNN, null), IMAGE, 10, 5, manager)) {
            SplittableRandom random = new SplittableRandom(11);
            float[] x = new float[N * (int) IMAGE.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble();
            }
            for (String id : Attacks.KNOWN) {
                for (String normId : EvaluationPlan.norms(id)) {
                    Norm norm = Norm.of(normId);
                    double epsilon = norm == Norm.LINF ? 0.05 : 0.5;
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray xs = scope.create(x, new Shape(N).addAll(IMAGE));
                        NDArray ys = scope.create(new long[] {0, 3, 7, 9});
                        Attack attack = Attacks.evaluation(id, normId, epsilon, epsilon / 4);
                        AttackResult result = attack.run(model, xs, ys, Seeds.stream(1, id));
                        assertEquals(xs.getShape(), result.adversarial().getShape(), id + " " + normId);
                        boolean[] wrong = Batches.misclassified(model, result.adversarial(), ys);
                        float[] adversarial = result.adversarial().toFloatArray();
                        int features = (int) IMAGE.size();
                        for (int i = 0; i < N; i++) {
                            String what = id + " " + normId + " example " + i;
                            assertEquals(wrong[i], result.success()[i], what + ": flag agrees with the model");
                            double size = 0;
                            for (int j = i * features; j < (i + 1) * features; j++) {
                                assertTrue(adversarial[j] >= 0f && adversarial[j] <= 1f, what + ": in [0,1]");
                                double d = Math.abs(adversarial[j] - x[j]);
                                size = norm == Norm.LINF ? Math.max(size, d) : size + d * d;
                            }
                            size = norm == Norm.LINF ? size : Math.sqrt(size);
                            assertTrue(size <= epsilon * (1 + 1e-5) + 1e-6, what + ": ‖δ‖ = " + size + " > ε");
                        }
                    }
                }
            }
        }
    }
}
