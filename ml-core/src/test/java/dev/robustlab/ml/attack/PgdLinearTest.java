package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.data.LabeledExamples;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.evaluation.RobustnessEvaluator;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a 2-class linear classifier z = W·x + b the l∞ distance from x to the decision boundary is
 * |(w₁ − w₀)·x + b₁ − b₀| / ‖w₁ − w₀‖₁ (away from the box edges): PGD and CW∞ must cross it whenever ε exceeds it,
 * and can never cross it when ε is below it.
 */
class PgdLinearTest {
    // w₁ − w₀ = (2, −1, 0.5), ‖·‖₁ = 3.5; b₁ − b₀ = −0.75 puts the boundary through the centre of the cube.
    private static final float[] W = {0.5f, 0.3f, -0.2f, 2.5f, -0.7f, 0.3f};
    private static final float[] B = {0.375f, -0.375f};
    private static final double[] DW = {2, -1, 0.5};
    private static final double DW_L1 = 3.5;
    private static final double EPSILON = 0.1;

    @Test
    void crossesTheBoundaryExactlyWhenEpsilonExceedsTheDistance() {
        List<float[]> near = new ArrayList<>();
        List<float[]> far = new ArrayList<>();
        List<Integer> nearLabels = new ArrayList<>();
        List<Integer> farLabels = new ArrayList<>();
        Random random = new Random(42);
        while (near.size() < 100 || far.size() < 100) {
            // inside [0.3, 0.7]^3, so x ± ε never touches the [0,1] box
            float[] x = {0.3f + 0.4f * random.nextFloat(), 0.3f + 0.4f * random.nextFloat(),
                    0.3f + 0.4f * random.nextFloat()};
            double score = DW[0] * x[0] + DW[1] * x[1] + DW[2] * x[2] - 0.75;
            double distance = Math.abs(score) / DW_L1;
            int label = score > 0 ? 1 : 0;
            if (distance < 0.9 * EPSILON && distance > 0.005 && near.size() < 100) {
                near.add(x);
                nearLabels.add(label);
            } else if (distance > 1.1 * EPSILON && far.size() < 100) {
                far.add(x);
                farLabels.add(label);
            }
        }
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = LinearModels.linear(W, B, 3, manager)) {
            for (String id : List.of(EvaluationPlan.PGD_20, EvaluationPlan.CW_INF)) {
                Attack attack = Attacks.evaluation(id, "linf", EPSILON, EPSILON / 4);
                var nearResult = new RobustnessEvaluator().evaluate(model, examples(near, nearLabels), attack,
                        Seeds.stream(1, "near"), manager);
                var farResult = new RobustnessEvaluator().evaluate(model, examples(far, farLabels), attack,
                        Seeds.stream(1, "far"), manager);
                assertEquals(100, nearResult.correctClean(), id + ": every example is classified correctly clean");
                assertEquals(0, nearResult.robust(), id + ": every example within ε of the boundary is broken");
                assertEquals(100, farResult.correctClean(), id);
                assertEquals(100, farResult.robust(), id + ": no example farther than ε from the boundary is broken");
            }
        }
    }

    @Test
    void adversarialExampleLiesOnTheWorstCornerOfTheBall() {
        // For a linear model the CE gradient's sign is constant: after enough steps PGD sits at x − ε·sign(w_y − w_o).
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = LinearModels.linear(W, B, 3, manager)) {
            NDArray x = manager.create(new float[] {0.6f, 0.4f, 0.5f}, new Shape(1, 3));
            NDArray y = manager.create(new long[] {1});
            Attack attack = Pgd.builder().setEpsilon(0.05).setStepSize(0.02).optSteps(10).build();
            float[] adversarial = attack.perturb(model, x, y, Seeds.stream(3, "corner")).toFloatArray();
            float[] expected = {0.55f, 0.45f, 0.45f};
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], adversarial[i], 1e-6, "coordinate " + i);
            }
        }
    }

    private static LabeledExamples examples(List<float[]> xs, List<Integer> labels) {
        float[] features = new float[xs.size() * 3];
        int[] ys = new int[xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, features, i * 3, 3);
            ys[i] = labels.get(i);
        }
        return new LabeledExamples(features, ys, new Shape(3), 2);
    }
}
