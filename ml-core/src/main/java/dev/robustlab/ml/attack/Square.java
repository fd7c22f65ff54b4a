package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.model.Classifier;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The Square attack, l∞ or l2 (Andriushchenko, Croce, Flammarion &amp; Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020): a score-based black-box attack, the gradient-free
 * part of AutoAttack. It only queries the model's logits (no gradient) and runs a random search on the margin loss
 * <pre>
 *   L(x') = z_y(x') − max_{k≠y} z_k(x')           (minimised; ≤ 0 exactly when x' is misclassified)
 * </pre>
 * keeping, per example, the best point so far x̂ and accepting a candidate x̃ when L(x̃) &lt; L(x̂) or x̃ is
 * misclassified. At iteration i the candidate changes one window ("square") of side s_i, whose area is a share p_i
 * of the pixels of one channel, s_i = round(√(p_i · h · w)), at a uniformly drawn position, with one random sign
 * σ_c ∈ {−1, 1} per channel:
 * <pre>
 *   l∞:  x̂⁰ = clip_[0,1](x + ε · σ)   σ ∈ {±1} per (channel, column): vertical stripes
 *        x̃  = clip_[0,1](Π_ε(x̂ + 2ε · σ_c on the window))        every window pixel to a vertex of the ball
 *   l2:  x̂⁰ = clip_[0,1](x + ε · δ/‖δ‖₂)   δ: a grid of 5×5 windows of side ⌊h/5⌋, each η(s) · σ_c
 *        δ = x̂ − x; draw a second window W₂; on W₁ per channel
 *          v_c = η(s) · σ_c + δ_{W₁,c}/‖δ_{W₁,c}‖₂,   v_c ← v_c/‖v_c‖₂ · √(max(ε² − ‖δ‖₂², 0)/c + ‖δ_{W₁∪W₂}‖₂²)
 *        δ_{W₂} = 0, δ_{W₁} = v,   x̃ = clip_[0,1](x + ε · δ/‖δ‖₂)
 * </pre>
 * η(s) is the paper's pseudo-Gaussian window: two halves of opposite sign, each a sum of concentric rectangles
 * weighted 1/(k+1)², unit l2 norm, transposed with probability ½. For l2 the side is at least 3 and odd.
 *
 * <p>The schedule of p is the paper's piecewise constant one on a scale of 10 000 iterations, rescaled to the
 * budget N (i' = ⌊i/N · 10 000⌋): p = p_init for i' ≤ 10, p_init/2 up to 50, /4 up to 200, /8 up to 500, /16 up to
 * 1000, /32 up to 2000, /64 up to 4000, /128 up to 6000, /256 up to 8000, /512 beyond.
 *
 * <p>Only points not yet broken are queried: a misclassified point leaves the search (clean-misclassified points
 * never enter it and keep x). With R restarts each restart runs on the points the previous ones left robust. This
 * follows fra31/auto-attack's {@code SquareAttack} (margin loss, rescaled schedule, N iterations after the
 * starting query, so at most N + 1 queries per point and restart, after one query of the clean batch), except that each example draws its own window
 * positions and signs (the reference shares one draw per batch, as the original square-attack code does not), and
 * positions are drawn from 0 … h − s inclusive. Inputs {@code (B, c, h, w)} use that geometry; {@code (B, h, w)}
 * is one channel; flat inputs {@code (B, d)} are a 1 × d image whose "squares" are runs of round(p · d) features
 * (at least 3 for l2); leading dimensions beyond three count as channels.
 *
 * <p>Arguments and defaults: ε (required), norm (default l∞), queries N (default 5000), p_init (default 0.8),
 * restarts R (default 1), id (default {@code square}). All randomness comes from the stream passed in. Shapes: x
 * {@code (B, ...)} FLOAT32 in [0,1], labels {@code (B)} INT64, result like x.
 *
 * <pre>{@code
 * Attack square = Square.builder().setEpsilon(8 / 255.0).build();
 * AttackResult result = square.run(model, x, y, Seeds.stream(seed, "square"));
 * }</pre>
 */
public final class Square implements Attack {
    private static final double TINY = 1e-12;

    private final String id;
    private final Norm norm;
    private final double epsilon;
    private final int queries;
    private final double pInit;
    private final int restarts;

    private Square(Builder builder) {
        this.id = builder.id;
        this.norm = builder.norm;
        this.epsilon = builder.epsilon;
        this.queries = builder.queries;
        this.pInit = builder.pInit;
        this.restarts = builder.restarts;
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    /** The norm of the ball. */
    public Norm norm() {
        return norm;
    }

    /** N, the iterations after the starting query of each restart. */
    public int queries() {
        return queries;
    }

    /**
     * The share p of one channel's pixels the window covers at iteration {@code iteration} of {@code budget}: the
     * paper's piecewise constant schedule, rescaled from 10 000 iterations to the budget.
     */
    public static double fraction(double pInit, int iteration, int budget) {
        int it = (int) ((double) iteration / budget * 10000);
        if (it <= 10) {
            return pInit;
        } else if (it <= 50) {
            return pInit / 2;
        } else if (it <= 200) {
            return pInit / 4;
        } else if (it <= 500) {
            return pInit / 8;
        } else if (it <= 1000) {
            return pInit / 16;
        } else if (it <= 2000) {
            return pInit / 32;
        } else if (it <= 4000) {
            return pInit / 64;
        } else if (it <= 6000) {
            return pInit / 128;
        } else if (it <= 8000) {
            return pInit / 256;
        }
        return pInit / 512;
    }

    @Override
    public NDArray perturb(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        return run(model, x, labels, random).adversarial();
    }

    @Override
    public AttackResult run(Classifier model, NDArray x, NDArray labels, SplittableRandom random) {
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        Geometry geometry = Geometry.of(shape);
        float[] clean = x.toFloatArray();
        long[] y = labels.toLongArray();
        float[] best = clean.clone();
        boolean[] success;
        try (FrozenParameters frozen = FrozenParameters.freeze(model)) {
            Queried start = query(model, x.getManager(), clean, y, allRows(batch), geometry);
            success = start.misclassified().clone();
            for (int r = 0; r < restarts; r++) {
                int[] rows = Batches.robustRows(success);
                if (rows.length == 0) {
                    break;
                }
                searchOnce(model, x.getManager(), clean, y, rows, geometry, random, best, success, r == 0);
            }
        }
        NDArray adversarial = x.getManager().create(best, shape);
        return new AttackResult(adversarial, success);
    }

    /** One restart on {@code rows}: writes the best points into {@code best} and the outcome into {@code success}. */
    private void searchOnce(Classifier model, NDManager manager, float[] clean, long[] y, int[] rows,
                            Geometry geometry, SplittableRandom random, float[] best, boolean[] success,
                            boolean first) {
        int d = geometry.features();
        int n = rows.length;
        float[] points = new float[n * d];
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            if (norm == Norm.LINF) {
                linfStart(clean, i * d, points, k * d, geometry, random);
            } else {
                l2Start(clean, i * d, points, k * d, geometry, random);
            }
        }
        Queried started = query(model, manager, points, y, rows, geometry);
        float[] margin = started.margin().clone();
        boolean[] broken = started.misclassified().clone();
        float[] candidate = new float[n * d];
        for (int iteration = 0; iteration < queries; iteration++) {
            int[] active = Batches.robustRows(broken);
            if (active.length == 0) {
                break;
            }
            double p = fraction(pInit, iteration, queries);
            float[] batch = new float[active.length * d];
            int[] activeRows = new int[active.length];
            for (int a = 0; a < active.length; a++) {
                int k = active[a];
                activeRows[a] = rows[k];
                if (norm == Norm.LINF) {
                    linfCandidate(clean, rows[k] * d, points, k * d, candidate, k * d, geometry, p, random);
                } else {
                    l2Candidate(clean, rows[k] * d, points, k * d, candidate, k * d, geometry, p, random);
                }
                System.arraycopy(candidate, k * d, batch, a * d, d);
            }
            Queried queried = query(model, manager, batch, y, activeRows, geometry);
            for (int a = 0; a < active.length; a++) {
                int k = active[a];
                if (queried.misclassified()[a] || queried.margin()[a] < margin[k]) {
                    margin[k] = queried.margin()[a];
                    broken[k] = queried.misclassified()[a];
                    System.arraycopy(batch, a * d, points, k * d, d);
                }
            }
        }
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            // the first restart's best point stays when no later restart breaks the example (as in the reference)
            if (broken[k] || first) {
                System.arraycopy(points, k * d, best, i * d, d);
            }
            success[i] = broken[k];
        }
    }

    private void linfStart(float[] clean, int from, float[] into, int at, Geometry g, SplittableRandom random) {
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int col = 0; col < g.width(); col++) {
                double sign = random.nextBoolean() ? 1 : -1;
                for (int row = 0; row < g.height(); row++) {
                    int j = g.index(ch, row, col);
                    into[at + j] = clip01(clean[from + j] + epsilon * sign);
                }
            }
        }
    }

    private void linfCandidate(float[] clean, int from, float[] best, int bestAt, float[] into, int at, Geometry g,
                               double p, SplittableRandom random) {
        System.arraycopy(best, bestAt, into, at, g.features());
        int side = g.linfSide(p);
        int sideRows = g.height() == 1 ? 1 : side;
        int top = random.nextInt(g.height() - sideRows + 1);
        int left = random.nextInt(g.width() - side + 1);
        for (int ch = 0; ch < g.channels(); ch++) {
            double step = (random.nextBoolean() ? 2 : -2) * epsilon;
            for (int row = top; row < top + sideRows; row++) {
                for (int col = left; col < left + side; col++) {
                    int j = g.index(ch, row, col);
                    double lower = clean[from + j] - epsilon;
                    double upper = clean[from + j] + epsilon;
                    into[at + j] = clip01(Math.min(Math.max(best[bestAt + j] + step, lower), upper));
                }
            }
        }
    }

    private void l2Start(float[] clean, int from, float[] into, int at, Geometry g, SplittableRandom random) {
        int d = g.features();
        double[] delta = new double[d];
        boolean flat = g.height() == 1;
        int side = Math.max((flat ? g.width() : g.height()) / 5, 1);
        int sideRows = flat ? 1 : side;
        int firstRow = flat ? 0 : Math.max((g.height() - side * 5) / 2, 0);
        int firstCol = Math.max(((flat ? g.width() : g.height()) - side * 5) / 2, 0);
        int rowsOfWindows = flat ? 1 : g.height() / side;
        int colsOfWindows = g.width() / side;
        for (int wr = 0, top = firstRow; wr < rowsOfWindows; wr++, top += sideRows) {
            for (int wc = 0, left = firstCol; wc < colsOfWindows; wc++, left += side) {
                double[][] pattern = eta(sideRows, side, random);
                for (int ch = 0; ch < g.channels(); ch++) {
                    double sign = random.nextBoolean() ? 1 : -1;
                    addWindow(delta, g, ch, top, left, pattern, sign);
                }
            }
        }
        double length = norm2(delta);
        for (int j = 0; j < d; j++) {
            into[at + j] = clip01(clean[from + j] + epsilon * delta[j] / (length + TINY));
        }
    }

    private void l2Candidate(float[] clean, int from, float[] best, int bestAt, float[] into, int at, Geometry g,
                             double p, SplittableRandom random) {
        int d = g.features();
        int side = g.l2Side(p);
        boolean flat = g.height() == 1;
        int sideRows = flat ? 1 : side;
        double[] delta = new double[d];
        for (int j = 0; j < d; j++) {
            delta[j] = best[bestAt + j] - clean[from + j];
        }
        int top = random.nextInt(g.height() - sideRows + 1);
        int left = random.nextInt(g.width() - side + 1);
        int top2 = random.nextInt(g.height() - sideRows + 1);
        int left2 = random.nextInt(g.width() - side + 1);
        double imageNorm = norm2(delta);
        // ‖δ‖² over the union of the two windows: all of W₁, and the cells of W₂ outside W₁
        double windowsSquares = 0;
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int row = top; row < top + sideRows; row++) {
                for (int col = left; col < left + side; col++) {
                    double v = delta[g.index(ch, row, col)];
                    windowsSquares += v * v;
                }
            }
            for (int row = top2; row < top2 + sideRows; row++) {
                for (int col = left2; col < left2 + side; col++) {
                    boolean inFirst = row >= top && row < top + sideRows && col >= left && col < left + side;
                    if (!inFirst) {
                        double v = delta[g.index(ch, row, col)];
                        windowsSquares += v * v;
                    }
                }
            }
        }
        double budget = Math.sqrt(Math.max(epsilon * epsilon - imageNorm * imageNorm, 0) / g.channels()
                + windowsSquares);
        double[][] pattern = eta(sideRows, side, random);
        double[][][] replacement = new double[g.channels()][sideRows][side];
        for (int ch = 0; ch < g.channels(); ch++) {
            double sign = random.nextBoolean() ? 1 : -1;
            double oldSquares = 0;
            for (int r = 0; r < sideRows; r++) {
                for (int c = 0; c < side; c++) {
                    double v = delta[g.index(ch, top + r, left + c)];
                    oldSquares += v * v;
                }
            }
            double oldNorm = Math.sqrt(oldSquares);
            double newSquares = 0;
            for (int r = 0; r < sideRows; r++) {
                for (int c = 0; c < side; c++) {
                    double v = pattern[r][c] * sign + delta[g.index(ch, top + r, left + c)] / (TINY + oldNorm);
                    replacement[ch][r][c] = v;
                    newSquares += v * v;
                }
            }
            double scale = budget / (TINY + Math.sqrt(newSquares));
            for (int r = 0; r < sideRows; r++) {
                for (int c = 0; c < side; c++) {
                    replacement[ch][r][c] *= scale;
                }
            }
        }
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int r = 0; r < sideRows; r++) {
                for (int c = 0; c < side; c++) {
                    delta[g.index(ch, top2 + r, left2 + c)] = 0;
                }
            }
        }
        for (int ch = 0; ch < g.channels(); ch++) {
            for (int r = 0; r < sideRows; r++) {
                for (int c = 0; c < side; c++) {
                    delta[g.index(ch, top + r, left + c)] = replacement[ch][r][c];
                }
            }
        }
        double length = norm2(delta);
        for (int j = 0; j < d; j++) {
            into[at + j] = clip01(clean[from + j] + epsilon * delta[j] / (length + TINY));
        }
    }

    private static void addWindow(double[] delta, Geometry g, int ch, int top, int left, double[][] pattern,
                                  double sign) {
        for (int r = 0; r < pattern.length; r++) {
            for (int c = 0; c < pattern[r].length; c++) {
                int row = top + r;
                int col = left + c;
                if (row < g.height() && col < g.width()) {
                    delta[g.index(ch, row, col)] += pattern[r][c] * sign;
                }
            }
        }
    }

    /**
     * The paper's window pattern η of {@code rows × cols}: the first half (of the rows; of the columns when there is
     * one row) positive, the second negative, each {@link #rectangles}; unit l2 norm; a square one is transposed
     * with probability ½.
     */
    static double[][] eta(int rows, int cols, SplittableRandom random) {
        double[][] pattern = new double[rows][cols];
        if (rows > 1) {
            double[][] upper = rectangles(rows / 2, cols);
            double[][] lower = rectangles(rows - rows / 2, cols);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    pattern[r][c] = r < rows / 2 ? upper[r][c] : -lower[r - rows / 2][c];
                }
            }
        } else {
            double[][] left = rectangles(1, cols / 2);
            double[][] right = rectangles(1, cols - cols / 2);
            for (int c = 0; c < cols; c++) {
                pattern[0][c] = c < cols / 2 ? left[0][c] : -right[0][c - cols / 2];
            }
        }
        normalize(pattern);
        if (rows == cols && random.nextBoolean()) {
            double[][] transposed = new double[cols][rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    transposed[c][r] = pattern[r][c];
                }
            }
            return transposed;
        }
        return pattern;
    }

    /** Concentric rectangles around the centre, the k-th (from the centre, k = 0, 1, …) adding 1/(k+1)²; unit norm. */
    static double[][] rectangles(int rows, int cols) {
        double[][] delta = new double[rows][cols];
        if (rows == 0 || cols == 0) {
            return delta;
        }
        int centreRows = rows / 2 + 1;
        int centreCols = cols / 2 + 1;
        int r0 = centreRows - 1;
        int c0 = centreCols - 1;
        for (int k = 0; k < Math.max(centreRows, centreCols); k++) {
            for (int r = Math.max(r0, 0); r < Math.min(r0 + 2 * k + 1, rows); r++) {
                for (int c = Math.max(c0, 0); c < Math.min(c0 + 2 * k + 1, cols); c++) {
                    delta[r][c] += 1.0 / ((k + 1) * (k + 1));
                }
            }
            r0--;
            c0--;
        }
        normalize(delta);
        return delta;
    }

    private static void normalize(double[][] pattern) {
        double squares = 0;
        for (double[] row : pattern) {
            for (double v : row) {
                squares += v * v;
            }
        }
        double length = Math.sqrt(squares);
        if (length > 0) {
            for (double[] row : pattern) {
                for (int c = 0; c < row.length; c++) {
                    row[c] /= length;
                }
            }
        }
    }

    private static double norm2(double[] v) {
        double squares = 0;
        for (double value : v) {
            squares += value * value;
        }
        return Math.sqrt(squares);
    }

    private static float clip01(double v) {
        return (float) Math.min(Math.max(v, 0), 1);
    }

    /** Margins z_y − max_{k≠y} z_k and misclassification flags of the queried points. */
    private record Queried(float[] margin, boolean[] misclassified) {
    }

    /** One query: the logits of {@code points} (rows of the batch {@code rows}); nothing stays allocated. */
    private static Queried query(Classifier model, NDManager manager, float[] points, long[] y, int[] rows,
                                 Geometry geometry) {
        int n = rows.length;
        float[] logits;
        int classes;
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(points, geometry.batchShape(n));
            NDArray output = model.logits(input, false);
            classes = Math.toIntExact(output.getShape().get(1));
            logits = output.toFloatArray();
        }
        float[] margin = new float[n];
        boolean[] wrong = new boolean[n];
        for (int k = 0; k < n; k++) {
            int label = Math.toIntExact(y[rows[k]]);
            float other = Float.NEGATIVE_INFINITY;
            int argMax = 0;
            for (int c = 0; c < classes; c++) {
                float z = logits[k * classes + c];
                if (c != label) {
                    other = Math.max(other, z);
                }
                if (z > logits[k * classes + argMax]) {
                    argMax = c;
                }
            }
            margin[k] = logits[k * classes + label] - other;
            wrong[k] = argMax != label;
        }
        return new Queried(margin, wrong);
    }

    private static int[] allRows(int batch) {
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** The image geometry Square draws its windows in: channels × height × width, row-major per example. */
    record Geometry(Shape exampleShape, int channels, int height, int width) {

        static Geometry of(Shape batchShape) {
            Shape example = batchShape.slice(1);
            int rank = example.dimension();
            if (rank == 0) {
                throw new IllegalArgumentException("inputs must be (B, ...) with at least one feature axis");
            }
            if (rank == 1) {
                return new Geometry(example, 1, 1, Math.toIntExact(example.get(0)));
            }
            int height = Math.toIntExact(example.get(rank - 2));
            int width = Math.toIntExact(example.get(rank - 1));
            int channels = Math.toIntExact(example.size() / ((long) height * width));
            return new Geometry(example, channels, height, width);
        }

        int features() {
            return channels * height * width;
        }

        int index(int channel, int row, int col) {
            return (channel * height + row) * width + col;
        }

        Shape batchShape(int batch) {
            return new Shape(batch).addAll(exampleShape);
        }

        /** l∞ window side: √(p·h·w) for images, p·d for flat inputs; at least 1, at most the image. */
        int linfSide(double p) {
            int side = height == 1 ? (int) Math.round(p * width) : (int) Math.round(Math.sqrt(p * height * width));
            return Math.min(Math.max(side, 1), height == 1 ? width : Math.min(height, width));
        }

        /** l2 window side: as for l∞, but at least 3 and odd (as far as the image allows). */
        int l2Side(double p) {
            int side = height == 1 ? (int) Math.round(p * width) : (int) Math.round(Math.sqrt(p * height * width));
            side = Math.max(side, 3);
            if (side % 2 == 0) {
                side++;
            }
            return Math.min(side, height == 1 ? width : Math.min(height, width));
        }
    }

    /** Builds a {@link Square}. */
    public static final class Builder {
        private String id = "square";
        private Norm norm = Norm.LINF;
        private double epsilon = Double.NaN;
        private int queries = 5000;
        private double pInit = 0.8;
        private int restarts = 1;

        private Builder() {
        }

        /** Radius ε of the ball: in (0, 1] for l∞, positive for l2. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The norm of the ball (default l∞). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** Iterations N ≥ 1 after the starting query, each one query per point not yet broken (default 5000). */
        public Builder optQueries(int queries) {
            this.queries = queries;
            return this;
        }

        /** p_init ∈ (0, 1], the share of a channel's pixels in the first windows (default 0.8). */
        public Builder optPInit(double pInit) {
            this.pInit = pInit;
            return this;
        }

        /** Restarts R ≥ 1, each on the points the previous ones left robust (default 1). */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /** The id (default {@code square}). */
        public Builder optId(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** @throws IllegalArgumentException on a bad ε, N &lt; 1, p_init outside (0, 1] or R &lt; 1 */
        public Square build() {
            Arguments.epsilon(norm, epsilon);
            Arguments.atLeast("queries", queries, 1);
            Arguments.atLeast("restarts", restarts, 1);
            if (!(pInit > 0 && pInit <= 1)) {
                throw new IllegalArgumentException("pInit must be in (0, 1], got " + pInit);
            }
            return new Square(this);
        }
    }
}
