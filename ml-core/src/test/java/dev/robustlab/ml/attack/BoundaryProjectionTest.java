package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.MlEngine;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FAB's box-constrained projection onto a hyperplane: hand-solved cases where the box binds, and random cases
 * checked against an independent solver (bisection on the KKT multiplier in double precision) and against
 * feasibility: t + δ on the hyperplane and in the box, or the box corner when the hyperplane misses the box.
 */
class BoundaryProjectionTest {

    @Test
    void handSolvedCases() {
        // t = (0.5, 0.9), w·δ must rise by 0.4: unconstrained l∞ would move both by 0.2, past the box at 0.9 + 0.2
        assertProjects(Norm.LINF, new float[] {0.5f, 0.9f}, new float[] {1, 1}, 1.8f, new float[] {0.3f, 0.1f});
        assertProjects(Norm.L2, new float[] {0.5f, 0.9f}, new float[] {1, 1}, 1.8f, new float[] {0.3f, 0.1f});
        // l2 along w = (1, 2): (0.08, 0.16) unconstrained, the second coordinate stops at 0.1, the first makes up 0.2
        assertProjects(Norm.L2, new float[] {0.5f, 0.9f}, new float[] {1, 2}, 2.7f, new float[] {0.2f, 0.1f});
        assertProjects(Norm.LINF, new float[] {0.5f, 0.9f}, new float[] {1, 2}, 2.7f, new float[] {0.2f, 0.1f});
        // no constraint binds: l∞ moves every coordinate by |r|/‖w‖₁, l2 moves along w by |r|/‖w‖₂²
        assertProjects(Norm.LINF, new float[] {0.5f, 0.5f}, new float[] {2, -1}, 0.8f, new float[] {0.1f, -0.1f});
        assertProjects(Norm.L2, new float[] {0.5f, 0.5f}, new float[] {2, -1}, 1f, new float[] {0.2f, -0.1f});
        // decreasing: both go down by 0.5, the first to 0
        assertProjects(Norm.LINF, new float[] {0.5f, 0.9f}, new float[] {1, 1}, 0.4f, new float[] {-0.5f, -0.5f});
        // the hyperplane misses the box: the corner that goes furthest
        assertProjects(Norm.LINF, new float[] {0.5f, 0.9f}, new float[] {1, -1}, 2f, new float[] {0.5f, -0.9f});
        assertProjects(Norm.L2, new float[] {0.5f, 0.9f}, new float[] {1, -1}, 2f, new float[] {0.5f, -0.9f});
        // a coordinate with w_j = 0 does not move; on the hyperplane already: nothing moves
        assertProjects(Norm.L2, new float[] {0.5f, 0.2f, 0.5f}, new float[] {1, 0, 1}, 1.2f,
                new float[] {0.1f, 0f, 0.1f});
        assertProjects(Norm.LINF, new float[] {0.5f, 0.2f, 0.5f}, new float[] {1, 0, 1}, 1f, new float[] {0, 0, 0});
    }

    @Test
    void randomCasesMatchAnIndependentSolver() {
        SplittableRandom random = new SplittableRandom(7);
        int rows = 200;
        int d = 12;
        for (Norm norm : Norm.values()) {
            float[] t = new float[rows * d];
            float[] w = new float[rows * d];
            float[] b = new float[rows];
            for (int i = 0; i < rows; i++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    // some coordinates on the box's faces, some weights zero
                    t[i * d + j] = (float) (random.nextInt(6) == 0 ? random.nextInt(2) : random.nextDouble());
                    w[i * d + j] = (float) (random.nextInt(8) == 0 ? 0 : random.nextDouble(-1, 1));
                    dot += t[i * d + j] * w[i * d + j];
                }
                b[i] = (float) (dot + random.nextDouble(-2.5, 2.5));
            }
            float[] delta = project(norm, t, w, b, rows, d);
            for (int i = 0; i < rows; i++) {
                double[] expected = solve(norm, t, w, b[i], i, d);
                double reached = 0;
                double target = b[i];
                for (int j = 0; j < d; j++) {
                    int at = i * d + j;
                    assertEquals(expected[j], delta[at], 1e-4, norm.id() + " row " + i + " coordinate " + j);
                    assertTrue(t[at] + delta[at] >= -1e-6 && t[at] + delta[at] <= 1 + 1e-6, "inside the box");
                    reached += w[at] * (t[at] + delta[at]);
                }
                if (expected[d] > 0) {
                    assertEquals(target, reached, 1e-4, norm.id() + " row " + i + " on the hyperplane");
                }
            }
        }
    }

    private static void assertProjects(Norm norm, float[] t, float[] w, float b, float[] expected) {
        float[] delta = project(norm, t, w, new float[] {b}, 1, t.length);
        assertArrayEquals(expected, delta, 1e-6f, norm.id() + " δ");
    }

    private static float[] project(Norm norm, float[] t, float[] w, float[] b, int rows, int d) {
        try (NDManager manager = MlEngine.newBaseManager()) {
            NDArray delta = BoundaryProjection.project(norm, manager.create(t, new Shape(rows, d)),
                    manager.create(w, new Shape(rows, d)), manager.create(b));
            assertEquals(new Shape(rows, d), delta.getShape());
            return delta.toFloatArray();
        }
    }

    /**
     * δ* by bisection on τ, G(τ) = Σ |w_j| min(τ c_j, m_j) = |r|; the last entry is 1 when the hyperplane meets
     * the box, 0 when the answer is the corner.
     */
    private static double[] solve(Norm norm, float[] t, float[] w, float b, int row, int d) {
        double r = b;
        for (int j = 0; j < d; j++) {
            r -= w[row * d + j] * t[row * d + j];
        }
        double[] sigma = new double[d];
        double[] room = new double[d];
        double[] rate = new double[d];
        double capacity = 0;
        for (int j = 0; j < d; j++) {
            double wj = w[row * d + j];
            sigma[j] = Math.signum(wj) * Math.signum(r);
            room[j] = sigma[j] > 0 ? 1 - t[row * d + j] : sigma[j] < 0 ? t[row * d + j] : 0;
            rate[j] = norm == Norm.LINF ? 1 : Math.abs(wj);
            capacity += Math.abs(wj) * room[j];
        }
        double[] delta = new double[d + 1];
        if (capacity <= Math.abs(r)) {
            for (int j = 0; j < d; j++) {
                delta[j] = sigma[j] * room[j];
            }
            return delta;
        }
        double low = 0;
        double high = 1e6;
        for (int k = 0; k < 200; k++) {
            double mid = (low + high) / 2;
            double gain = 0;
            for (int j = 0; j < d; j++) {
                gain += Math.abs(w[row * d + j]) * Math.min(mid * rate[j], room[j]);
            }
            if (gain < Math.abs(r)) {
                low = mid;
            } else {
                high = mid;
            }
        }
        for (int j = 0; j < d; j++) {
            delta[j] = sigma[j] * Math.min(high * rate[j], room[j]);
        }
        delta[d] = 1;
        return delta;
    }
}
