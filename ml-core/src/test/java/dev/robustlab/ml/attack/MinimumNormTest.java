package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The minimum-norm attacks, FAB, FAB-T and CW-l2, find adversarials at the distance to the decision boundary of the
 * linear classifier of {@link AttackLinearTest}, D = |m| / ‖w_1 − w_0‖_* (‖·‖₁ for l∞, ‖·‖₂ for l2), with ε large
 * enough (the whole box) that every example's closest adversarial is returned. No adversarial lies closer than D.
 *
 * <p>FAB on a linear model: the linearised boundary is the boundary, so the iterates stay on the ray from x along
 * the projection direction, at r·D. From r (r &lt; 1) the projections are (1 − r)D from x^i and D from x, so
 * α = min((1 − r)/(2 − r), α_max) and r ← (1 − α)(r + η(1 − r)) + α η; past the boundary (r &gt; 1) the point is
 * recorded and r ← β r. {@link #fabOnALine} runs that recursion: with the defaults the first step lands at
 * η = 1.05, the second at 1.0052, and no later one closer. The attack must find exactly that, up to float32.
 *
 * <p>CW-l2 has no closed form: its closest adversarial is at least D, and at most one Adam step past it. Adam moves
 * each coordinate of w by about lr per step, x' = (tanh w + 1)/2 by at most lr/2, so at most (lr/2)·√d in l2.
 */
class MinimumNormTest {
    private static final int POINTS = 60;

    @Test
    void fabFindsTheBoundaryAtTheDistanceItsRecursionPredicts() {
        double expected = fabOnALine(100, 1.05, 0.9, 0.1);
        assertEquals(1.0052, expected, 1e-4, "the recursion's closest point");
        for (Norm norm : Norm.values()) {
            double epsilon = norm == Norm.LINF ? 1 : 2;
            for (boolean targeted : new boolean[] {false, true}) {
                Fab fab = Fab.builder().setEpsilon(epsilon).optNorm(norm).optTargeted(targeted).build();
                Found found = attack(fab, norm);
                for (int i = 0; i < POINTS; i++) {
                    String what = fab.id() + " " + norm.id() + " example " + i + ", D = " + found.distance[i];
                    assertTrue(found.success[i], what + ": broken");
                    assertEquals(expected, found.size[i] / found.distance[i], 2e-4, what + ": ‖δ‖/D");
                }
            }
        }
    }

    @Test
    void cwL2FindsTheBoundaryWithinOneAdamStep() {
        double learningRate = 0.01;
        CwL2 cw = CwL2.builder().setEpsilon(2).optSteps(200).optLearningRate(learningRate).build();
        Found found = attack(cw, Norm.L2);
        double oneStep = learningRate / 2 * Math.sqrt(3);
        for (int i = 0; i < POINTS; i++) {
            String what = "cw-l2 example " + i + ", D = " + found.distance[i] + ", ‖δ‖ = " + found.size[i];
            assertTrue(found.success[i], what + ": broken");
            assertTrue(found.size[i] >= found.distance[i] - 1e-6, what + ": not closer than the boundary");
            assertTrue(found.size[i] <= found.distance[i] + oneStep, what + ": at most one step past it");
        }
    }

    /**
     * FAB's closest adversarial, in units of D, on a line through x perpendicular to a linear boundary at distance
     * 1, the iterate at r·D (see the class comment).
     */
    static double fabOnALine(int steps, double eta, double beta, double alphaMax) {
        double r = 0;
        double closest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < steps; i++) {
            double fromIterate = Math.max(Math.abs(1 - r), 1e-8);
            double alpha = Math.min(fromIterate / (fromIterate + 1), alphaMax);
            r = (1 - alpha) * (r + eta * (1 - r)) + alpha * eta;
            if (r > 1) {
                closest = Math.min(closest, r);
                r *= beta;
            }
        }
        return closest;
    }

    private record Found(double[] distance, double[] size, boolean[] success) {
    }

    /** Points of [0.3, 0.7]³ at least 0.01 from the boundary, their distance D and the attack's ‖δ‖. */
    private static Found attack(Attack attack, Norm norm) {
        double dual = norm == Norm.LINF ? 3.5 : Math.sqrt(5.25);
        Random random = new Random(11);
        float[] x = new float[POINTS * 3];
        long[] y = new long[POINTS];
        double[] distance = new double[POINTS];
        for (int i = 0; i < POINTS; ) {
            double margin = -0.75;
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = 0.3f + 0.4f * random.nextFloat();
                margin += AttackLinearTest.DW[j] * x[i * 3 + j];
            }
            if (Math.abs(margin) / dual >= 0.01) {
                y[i] = margin > 0 ? 1 : 0;
                distance[i] = Math.abs(margin) / dual;
                i++;
            }
        }
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = LinearModels.linear(AttackLinearTest.W, AttackLinearTest.B, 3, manager)) {
            AttackResult result = attack.run(model, manager.create(x, new Shape(POINTS, 3)), manager.create(y),
                    Seeds.stream(1, attack.id()));
            float[] adversarial = result.adversarial().toFloatArray();
            double[] size = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                for (int j = 0; j < 3; j++) {
                    double d = adversarial[i * 3 + j] - x[i * 3 + j];
                    size[i] = norm == Norm.LINF ? Math.max(size[i], Math.abs(d)) : size[i] + d * d;
                }
                size[i] = norm == Norm.LINF ? size[i] : Math.sqrt(size[i]);
            }
            return new Found(distance, size, result.success());
        }
    }
}
