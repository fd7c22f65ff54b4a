package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attack on a linear classifier whose distance to the decision boundary is known: it breaks every example
 * closer than ε (at most 0.9 ε) and none farther (at least 1.1 ε), and its points stay in B_ε(x) ∩ [0,1]^d.
 *
 * <p>The model has 4 classes so that the DLR losses apply, but only classes 0 and 1 ever win: z_2 = z_3 =
 * (z_0 + z_1)/2 − 1 lies below max(z_0, z_1). So it is the 2-class model of {@link PgdLinearTest}: with the margin
 * m = (w_1 − w_0)·x + b_1 − b_0, the l∞ distance to the boundary is |m| / ‖w_1 − w_0‖₁ and the l2 distance
 * |m| / ‖w_1 − w_0‖₂ (points in [0.3, 0.7]³ never reach the box edges). Cross-entropy, DLR = −m'/(|m'|/2 + 1)
 * (m' = z_y − z_other) and the targeted DLR towards the other class are all decreasing functions of the true
 * class's margin, so each attack's loss leads straight to the boundary.
 */
class AttackLinearTest {
    // w₁ − w₀ = (2, −1, 0.5): ‖·‖₁ = 3.5, ‖·‖₂ = √5.25; b₁ − b₀ = −0.75 puts the boundary through the cube's centre.
    static final float[] W = {0.5f, 0.3f, -0.2f, 2.5f, -0.7f, 0.3f, 1.5f, -0.2f, 0.05f, 1.5f, -0.2f, 0.05f};
    static final float[] B = {0.375f, -0.375f, -1f, -1f};
    static final double[] DW = {2, -1, 0.5};
    private static final double EPSILON = 0.1;
    private static final int PER_SIDE = 60;

    private static Points linfNear;
    private static Points linfFar;
    private static Points l2Near;
    private static Points l2Far;

    /** Examples, their labels and their distance to the boundary. */
    record Points(float[] x, long[] y) {
        int size() {
            return y.length;
        }
    }

    @BeforeAll
    static void samplePoints() {
        linfNear = sample(3.5, true);
        linfFar = sample(3.5, false);
        l2Near = sample(Math.sqrt(5.25), true);
        l2Far = sample(Math.sqrt(5.25), false);
    }

    @Test
    void linfAttacksBreakExactlyThePointsCloserThanEpsilon() {
        List<Attack> attacks = List.of(
                Fgsm.builder().setEpsilon(EPSILON).build(),
                IFgsm.builder().setEpsilon(EPSILON).build(),
                MiFgsm.builder().setEpsilon(EPSILON).build(),
                Pgd.builder().setEpsilon(EPSILON).setStepSize(EPSILON / 4).optSteps(10).optRestarts(2).build(),
                Apgd.builder().setEpsilon(EPSILON).optSteps(25).build(),
                Apgd.builder().setEpsilon(EPSILON).optSteps(25).optDlr().build(),
                Apgd.builder().setEpsilon(EPSILON).optSteps(25).optEot(3).optId("apgd-ce-eot").build(),
                ApgdTargeted.builder().setEpsilon(EPSILON).optSteps(25).build(),
                // black-box: a random search over the ball's vertices with a modest budget
                Square.builder().setEpsilon(EPSILON).optQueries(100).build(),
                Fab.builder().setEpsilon(EPSILON).optSteps(20).build(),
                Fab.builder().setEpsilon(EPSILON).optSteps(20).optTargeted(true).build());
        for (Attack attack : attacks) {
            check(attack, Norm.LINF, linfNear, linfFar);
        }
    }

    @Test
    void l2AttacksBreakExactlyThePointsCloserThanEpsilon() {
        List<Attack> attacks = List.of(
                Pgd.builder().setEpsilon(EPSILON).setStepSize(EPSILON / 4).optSteps(20).optNorm(Norm.L2)
                        .optRestarts(2).build(),
                Apgd.builder().setEpsilon(EPSILON).optNorm(Norm.L2).optSteps(25).build(),
                Apgd.builder().setEpsilon(EPSILON).optNorm(Norm.L2).optSteps(25).optDlr().build(),
                ApgdTargeted.builder().setEpsilon(EPSILON).optNorm(Norm.L2).optSteps(25).build(),
                Fab.builder().setEpsilon(EPSILON).optNorm(Norm.L2).optSteps(20).build(),
                Fab.builder().setEpsilon(EPSILON).optNorm(Norm.L2).optSteps(20).optTargeted(true).build(),
                CwL2.builder().setEpsilon(EPSILON).optSteps(200).build());
        for (Attack attack : attacks) {
            check(attack, Norm.L2, l2Near, l2Far);
        }
    }

    @Test
    void fgsmLandsOnTheWorstCornerOfTheBall() {
        // the CE gradient of the label-1 point points along w₀ − w₁ = (−2, 1, −0.5): x' = x − ε·sign(w₁ − w₀)
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = LinearModels.linear(W, B, 3, manager)) {
            NDArray x = manager.create(new float[] {0.6f, 0.4f, 0.5f}, new Shape(1, 3));
            NDArray y = manager.create(new long[] {1});
            float[] adversarial = Fgsm.builder().setEpsilon(0.05).build()
                    .perturb(model, x, y, Seeds.stream(1, "fgsm")).toFloatArray();
            assertArrayEquals(new float[] {0.55f, 0.45f, 0.45f}, adversarial, 1e-6f);
        }
    }

    private static void check(Attack attack, Norm norm, Points near, Points far) {
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = LinearModels.linear(W, B, 3, manager)) {
            for (Points points : List.of(near, far)) {
                boolean isNear = points == near;
                NDArray x = manager.create(points.x(), new Shape(points.size(), 3));
                NDArray y = manager.create(points.y());
                AttackResult result = attack.run(model, x, y, Seeds.stream(5, attack.id()));
                boolean[] wrong = Batches.misclassified(model, result.adversarial(), y);
                float[] adversarial = result.adversarial().toFloatArray();
                for (int i = 0; i < points.size(); i++) {
                    String what = attack.id() + " " + norm.id() + (isNear ? " near" : " far") + " example " + i;
                    assertEquals(isNear, result.success()[i], what + ": success");
                    assertEquals(result.success()[i], wrong[i], what + ": flag agrees with the returned point");
                    assertInside(norm, points.x(), adversarial, i, what);
                }
            }
        }
    }

    static void assertInside(Norm norm, float[] x, float[] adversarial, int example, String what) {
        double size = 0;
        for (int j = example * 3; j < example * 3 + 3; j++) {
            assertTrue(adversarial[j] >= 0f && adversarial[j] <= 1f, what + ": inside [0,1]");
            double d = Math.abs(adversarial[j] - x[j]);
            size = norm == Norm.LINF ? Math.max(size, d) : size + d * d;
        }
        size = norm == Norm.LINF ? size : Math.sqrt(size);
        assertTrue(size <= EPSILON + 1e-6, what + ": inside the ε-ball, ‖δ‖ = " + size);
    }

    /** Points of [0.3, 0.7]³ at l_p distance below 0.9 ε (near) or above 1.1 ε (far) from the boundary. */
    private static Points sample(double dualNorm, boolean near) {
        Random random = new Random(near ? 42 : 43);
        List<float[]> xs = new ArrayList<>();
        List<Long> ys = new ArrayList<>();
        while (xs.size() < PER_SIDE) {
            float[] x = {0.3f + 0.4f * random.nextFloat(), 0.3f + 0.4f * random.nextFloat(),
                    0.3f + 0.4f * random.nextFloat()};
            double margin = DW[0] * x[0] + DW[1] * x[1] + DW[2] * x[2] - 0.75;
            double distance = Math.abs(margin) / dualNorm;
            if (near ? distance < 0.9 * EPSILON && distance > 0.005 : distance > 1.1 * EPSILON) {
                xs.add(x);
                ys.add(margin > 0 ? 1L : 0L);
            }
        }
        float[] flat = new float[xs.size() * 3];
        long[] labels = new long[ys.size()];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, flat, i * 3, 3);
            labels[i] = ys.get(i);
        }
        return new Points(flat, labels);
    }
}
