package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.robustlab.ml.engine.MlEngine;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.model.Classifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Square attack on images {@code (B, 2, 6, 6)} through a linear classifier whose distance to the boundary is
 * known: class 1 wins over class 0 by the margin m = w·x + b with w of one sign per channel (channel 0 positive,
 * channel 1 negative, magnitudes in [0.5, 1.5]); classes 2 and 3 never win. Square breaks points well inside ε and
 * never one beyond it, stays in B_ε(x) ∩ [0,1]^d, queries only points it has not broken, and keeps the live arrays
 * flat while it searches. Its p schedule and window pattern are checked against the paper.
 */
class SquareTest {
    private static final int C = 2;
    private static final int H = 6;
    private static final int D = C * H * H;
    private static final double EPSILON = 0.1;

    @Test
    void scheduleHalvesPAtThePapersIterationsRescaledToTheBudget() {
        assertEquals(0.8, Square.fraction(0.8, 0, 5000));
        assertEquals(0.8, Square.fraction(0.8, 5, 5000)); // 10 of 10 000
        assertEquals(0.4, Square.fraction(0.8, 6, 5000));
        assertEquals(0.2, Square.fraction(0.8, 26, 5000));
        assertEquals(0.8 / 16, Square.fraction(0.8, 500, 5000));
        assertEquals(0.8 / 32, Square.fraction(0.8, 501, 5000));
        assertEquals(0.8 / 512, Square.fraction(0.8, 4999, 5000));
        assertEquals(0.8 / 512, Square.fraction(0.8, 9000, 10000));
        double previous = 1;
        for (int i = 0; i < 1000; i++) {
            double p = Square.fraction(0.8, i, 1000);
            assertTrue(p <= previous, "p never grows");
            previous = p;
        }
    }

    @Test
    void windowPatternHasUnitNormAndTwoHalvesOfOppositeSign() {
        SplittableRandom random = Seeds.stream(1, "eta");
        for (int side : new int[] {1, 3, 5, 8}) {
            double[][] eta = Square.eta(side, side, random);
            double squares = 0;
            double upper = 0;
            double lower = 0;
            for (double[] row : eta) {
                for (double v : row) {
                    squares += v * v;
                }
            }
            assertEquals(1, squares, 1e-9, "unit norm, side " + side);
            // transposed or not, one half is positive and the other negative
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    upper += r < side / 2 ? eta[r][c] : 0;
                    lower += r >= side / 2 ? eta[r][c] : 0;
                }
            }
            if (side > 1) {
                boolean rowsSplit = upper > 0 && lower < 0;
                double left = 0;
                for (double[] row : eta) {
                    for (int c = 0; c < side / 2; c++) {
                        left += row[c];
                    }
                }
                assertTrue(rowsSplit || left > 0, "side " + side + ": a positive half");
            }
        }
        double[][] rectangles = Square.rectangles(5, 5);
        assertTrue(rectangles[2][2] > rectangles[1][1] && rectangles[1][1] > rectangles[0][0], "peaked at the centre");
    }

    @Test
    void breaksPointsWellInsideEpsilonAndNeverOnesBeyondIt() {
        float[] w = weights();
        for (Norm norm : Norm.values()) {
            double dual = norm == Norm.LINF ? l1(w) : l2(w);
            // l∞: the vertex search reaches the best corner fast. l2: the windows' two-signed pattern is made for
            // image gradients and aligns slowly with this w, so "well inside" means a third of ε there.
            Points near = sample(w, dual, 0.02 * EPSILON, (norm == Norm.LINF ? 0.6 : 0.35) * EPSILON, 40, 11);
            Points far = sample(w, dual, 1.05 * EPSILON, 3 * EPSILON, 40, 12);
            Square square = Square.builder().setEpsilon(EPSILON).optNorm(norm)
                    .optQueries(norm == Norm.LINF ? 300 : 1000).build();
            try (NDManager manager = MlEngine.newBaseManager();
                 Classifier model = imageModel(manager, w, null)) {
                for (Points points : List.of(near, far)) {
                    boolean isNear = points == near;
                    NDArray x = manager.create(points.x(), new Shape(points.size(), C, H, H));
                    NDArray y = manager.create(points.y());
                    AttackResult result = square.run(model, x, y, Seeds.stream(3, "square"));
                    boolean[] wrong = Batches.misclassified(model, result.adversarial(), y);
                    float[] adversarial = result.adversarial().toFloatArray();
                    for (int i = 0; i < points.size(); i++) {
                        String what = norm.id() + (isNear ? " near" : " far") + " example " + i;
                        assertEquals(isNear, result.success()[i], what + ": success");
                        assertEquals(wrong[i], result.success()[i], what + ": flag agrees with the model");
                        assertInside(norm, EPSILON, points.x(), adversarial, i, what);
                    }
                }
            }
        }
    }

    @Test
    void staysInsideTheBallAndTheBoxOnInputsAtTheEdges() {
        float[] w = weights();
        SplittableRandom random = Seeds.stream(5, "edges");
        int n = 24;
        float[] x = new float[n * D];
        for (int j = 0; j < x.length; j++) {
            double u = random.nextDouble();
            x[j] = (float) (u < 0.25 ? 0 : u > 0.75 ? 1 : random.nextDouble());
        }
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
        }
        try (NDManager manager = MlEngine.newBaseManager();
             Classifier model = imageModel(manager, w, null)) {
            for (Norm norm : Norm.values()) {
                double epsilon = norm == Norm.LINF ? 0.3 : 1.5;
                Square square = Square.builder().setEpsilon(epsilon).optNorm(norm).optQueries(60).build();
                NDArray xs = manager.create(x, new Shape(n, C, H, H));
                NDArray ys = manager.create(labels);
                AttackResult result = square.run(model, xs, ys, Seeds.stream(5, "square"));
                float[] adversarial = result.adversarial().toFloatArray();
                for (int i = 0; i < n; i++) {
                    assertInside(norm, epsilon, x, adversarial, i, norm.id() + " example " + i);
                }
                AttackResult again = square.run(model, xs, ys, Seeds.stream(5, "square"));
                assertArrayEquals(adversarial, again.adversarial().toFloatArray(), "the seed fixes the result");
            }
        }
    }

    @Test
    void queriesOnlyPointsNotYetBrokenAndStopsWhenAllAreBroken() {
        float[] w = weights();
        for (Norm norm : Norm.values()) {
            Points near = sample(w, norm == Norm.LINF ? l1(w) : l2(w), 0.02 * EPSILON,
                    (norm == Norm.LINF ? 0.6 : 0.35) * EPSILON, 30, 21);
            List<Long> sizes = new ArrayList<>();
            int queries = 2000;
            try (NDManager manager = MlEngine.newBaseManager();
                 Classifier model = imageModel(manager, w, input -> sizes.add(input.getShape().get(0)))) {
                sizes.clear(); // initialising the block ran a forward pass
                NDArray x = manager.create(near.x(), new Shape(near.size(), C, H, H));
                NDArray y = manager.create(near.y());
                AttackResult result = Square.builder().setEpsilon(EPSILON).optNorm(norm).optQueries(queries).build()
                        .run(model, x, y, Seeds.stream(4, "count"));
                assertEquals(near.size(), result.successes(), norm.id() + ": every near point broken");
            }
            assertEquals(near.size(), sizes.get(0), "the clean query sees the batch");
            for (int k = 2; k < sizes.size(); k++) {
                assertTrue(sizes.get(k) <= sizes.get(k - 1), norm.id() + ": queried points only ever shrink " + sizes);
                assertTrue(sizes.get(k) > 0, "no empty query");
            }
            assertTrue(sizes.size() < queries / 2, norm.id() + ": it stopped once every point was broken, after "
                    + sizes.size() + " queries");
            assertTrue(sizes.get(sizes.size() - 1) < near.size(), "broken points left the search");
        }
    }

    @Test
    void liveArraysStayFlatWhileSearching() {
        float[] w = weights();
        Points far = sample(w, l1(w), 1.05 * EPSILON, 3 * EPSILON, 8, 31);
        for (Norm norm : Norm.values()) {
            try (NDManager manager = MlEngine.newBaseManager()) {
                List<Integer> live = new ArrayList<>();
                Classifier model = imageModel(manager, w, input -> live.add(manager.getManagedArrays().size()));
                NDArray x = manager.create(far.x(), new Shape(far.size(), C, H, H));
                NDArray y = manager.create(far.y());
                live.clear();
                Square.builder().setEpsilon(EPSILON).optNorm(norm).optQueries(50).build()
                        .run(model, x, y, Seeds.stream(1, "memory")).adversarial().close();
                assertEquals(52, live.size(), "a clean query, a start and 50 iterations on unbreakable points");
                int early = live.get(2);
                int late = live.stream().skip(2).mapToInt(Integer::intValue).max().orElse(0);
                assertEquals(early, late, norm.id() + ": live arrays " + live);
            }
        }
    }

    interface Probe {
        void seen(NDArray input);
    }

    /** (B, 2, 6, 6) → flatten → 4 logits: z₁ − z₀ = w·x + b, z₂ = z₃ far below. */
    private static Classifier imageModel(NDManager parent, float[] w, Probe probe) {
        float[] weights = new float[4 * D];
        for (int j = 0; j < D; j++) {
            weights[D + j] = w[j];
        }
        float[] bias = {0, -(float) bias(w), -50, -50};
        Linear linear = Linear.builder().setUnits(4).build();
        linear.setInitializer(fixed(weights), Parameter.Type.WEIGHT);
        linear.setInitializer(fixed(bias), Parameter.Type.BIAS);
        SequentialBlock block = new SequentialBlock();
        if (probe != null) {
            block.add(new LambdaBlock(inputs -> {
                probe.seen(inputs.singletonOrThrow());
                return inputs;
            }));
        }
        block.add(Blocks.batchFlattenBlock()).add(linear);
        NDManager manager = parent.newSubManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, H));
        return Classifier.of(block, manager, "image-linear", new Shape(C, H, H), 4);
    }

    private static Initializer fixed(float[] values) {
        return (NDManager manager, Shape shape, DataType type) -> manager.create(values, shape);
    }

    /** Channel 0 positive, channel 1 negative, magnitudes in [0.5, 1.5]. */
    private static float[] weights() {
        SplittableRandom random = Seeds.stream(2, "weights");
        float[] w = new float[D];
        for (int j = 0; j < D; j++) {
            float magnitude = (float) (0.5 + random.nextDouble());
            w[j] = j < D / C ? magnitude : -magnitude;
        }
        return w;
    }

    /** b with w·0.5 + b = 0: the boundary through the centre of the cube. */
    private static double bias(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += v * 0.5;
        }
        return sum;
    }

    private static double l1(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += Math.abs(v);
        }
        return sum;
    }

    private static double l2(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    record Points(float[] x, long[] y) {
        int size() {
            return y.length;
        }
    }

    /** Points of [0.3, 0.7]^d whose distance |m|/‖w‖_dual to the boundary lies in (low, high). */
    private static Points sample(float[] w, double dual, double low, double high, int count, long seed) {
        SplittableRandom random = Seeds.stream(seed, "points");
        List<float[]> xs = new ArrayList<>();
        List<Long> ys = new ArrayList<>();
        while (xs.size() < count) {
            // a point along w from the centre at the wanted distance, plus noise orthogonal enough to stay there
            double target = low + (high - low) * random.nextDouble();
            double side = random.nextBoolean() ? 1 : -1;
            float[] x = new float[D];
            for (int j = 0; j < D; j++) {
                x[j] = (float) (0.5 + 0.15 * (2 * random.nextDouble() - 1));
            }
            double margin = 0;
            for (int j = 0; j < D; j++) {
                margin += w[j] * (x[j] - 0.5);
            }
            double wanted = side * target * dual;
            double squares = l2(w) * l2(w);
            for (int j = 0; j < D; j++) {
                x[j] += (float) ((wanted - margin) * w[j] / squares);
            }
            margin = 0;
            boolean inCube = true;
            for (int j = 0; j < D; j++) {
                margin += w[j] * (x[j] - 0.5);
                inCube &= x[j] >= 0.2f && x[j] <= 0.8f;
            }
            double distance = Math.abs(margin) / dual;
            if (inCube && distance > low && distance < high) {
                xs.add(x);
                ys.add(margin > 0 ? 1L : 0L);
            }
        }
        float[] flat = new float[xs.size() * D];
        long[] labels = new long[ys.size()];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, flat, i * D, D);
            labels[i] = ys.get(i);
        }
        return new Points(flat, labels);
    }

    private static void assertInside(Norm norm, double epsilon, float[] x, float[] adversarial, int example,
                                     String what) {
        double size = 0;
        for (int j = example * D; j < (example + 1) * D; j++) {
            assertTrue(adversarial[j] >= 0f && adversarial[j] <= 1f, what + ": inside [0,1]");
            double d = Math.abs(adversarial[j] - x[j]);
            size = norm == Norm.LINF ? Math.max(size, d) : size + d * d;
        }
        size = norm == Norm.LINF ? size : Math.sqrt(size);
        assertTrue(size <= epsilon + 1e-6, what + ": inside the ε-ball, ‖δ‖ = " + size);
    }
}
