package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Squeeze Training's roles, per example, among the three points x (natural), x_col (collaborative) and x_adv
 * (adversarial): <em>upper</em> is the point with the lowest probability of the true class p_y (the highest
 * loss), <em>lower</em> the point with the highest p_y. Ties go to the first point in the order x, x_col, x_adv
 * ({@code torch.argmin}/{@code argmax} over the stacked p_y, as the authors' code chooses them); the two roles
 * share a point only when all three p_y are equal (then both are x).
 *
 * @param upper per example, {@link #NATURAL}, {@link #COLLABORATIVE} or {@link #ADVERSARIAL}
 * @param lower per example, likewise
 */
public record SqueezeRoles(int[] upper, int[] lower) {
    /** The clean point x. */
    public static final int NATURAL = 0;
    /** The collaborative point x_col. */
    public static final int COLLABORATIVE = 1;
    /** The adversarial point x_adv. */
    public static final int ADVERSARIAL = 2;

    /** Copies the roles. */
    public SqueezeRoles {
        if (upper.length != lower.length) {
            throw new IllegalArgumentException("upper has " + upper.length + " examples, lower " + lower.length);
        }
        upper = upper.clone();
        lower = lower.clone();
    }

    /**
     * The roles from the true-class probabilities of the three points.
     *
     * @param natural       p_y(x) per example
     * @param collaborative p_y(x_col) per example
     * @param adversarial   p_y(x_adv) per example
     */
    public static SqueezeRoles choose(float[] natural, float[] collaborative, float[] adversarial) {
        int n = natural.length;
        if (collaborative.length != n || adversarial.length != n) {
            throw new IllegalArgumentException("p_y of " + n + ", " + collaborative.length + " and "
                    + adversarial.length + " examples");
        }
        int[] upper = new int[n];
        int[] lower = new int[n];
        for (int i = 0; i < n; i++) {
            float[] p = {natural[i], collaborative[i], adversarial[i]};
            for (int k = 1; k < 3; k++) {
                if (p[k] < p[upper[i]]) {
                    upper[i] = k;
                }
                if (p[k] > p[lower[i]]) {
                    lower[i] = k;
                }
            }
        }
        return new SqueezeRoles(upper, lower);
    }

    /** The true-class probability p_y = softmax(z)_y per example, read from detached logits. */
    public static float[] labelProbability(NDArray logits, NDArray labels) {
        try (NDManager scope = logits.getManager().newSubManager()) {
            NDArray detached = logits.stopGradient();
            detached.attach(scope);
            NDArray labelCopy = labels.stopGradient();
            labelCopy.attach(scope);
            int classes = Math.toIntExact(logits.getShape().get(1));
            NDArray oneHot = labelCopy.oneHot(classes, detached.getDataType());
            NDArray probability = detached.softmax(1).mul(oneHot).sum(new int[] {1});
            return probability.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /** Number of examples. */
    public int size() {
        return upper.length;
    }

    @Override
    public int[] upper() {
        return upper.clone();
    }

    @Override
    public int[] lower() {
        return lower.clone();
    }

    /** Whether any example gives {@code point} a role. */
    public boolean uses(int point) {
        for (int i = 0; i < upper.length; i++) {
            if (upper[i] == point || lower[i] == point) {
                return true;
            }
        }
        return false;
    }

    /** Per example, the row of the point holding the upper role; in {@code into}. */
    public NDArray upper(NDArray natural, NDArray collaborative, NDArray adversarial, NDManager into) {
        return select(upper, natural, collaborative, adversarial, into);
    }

    /** Per example, the row of the point holding the lower role; in {@code into}. */
    public NDArray lower(NDArray natural, NDArray collaborative, NDArray adversarial, NDManager into) {
        return select(lower, natural, collaborative, adversarial, into);
    }

    /**
     * Row i of the result is row i of {@code natural}, {@code collaborative} or {@code adversarial} as role[i]
     * says; gradients flow to the chosen rows. The three arrays share a shape {@code (B, …)}.
     */
    static NDArray select(int[] role, NDArray natural, NDArray collaborative, NDArray adversarial, NDManager into) {
        Shape shape = natural.getShape();
        boolean[] isNatural = new boolean[role.length];
        boolean[] isCollaborative = new boolean[role.length];
        for (int i = 0; i < role.length; i++) {
            isNatural[i] = role[i] == NATURAL;
            isCollaborative[i] = role[i] == COLLABORATIVE;
        }
        NDArray selected;
        try (NDManager masks = into.newSubManager()) {
            NDArray naturalMask = mask(isNatural, shape, masks);
            NDArray collaborativeMask = mask(isCollaborative, shape, masks);
            NDArray rest = NDArrays.where(collaborativeMask, collaborative, adversarial);
            rest.attach(masks);
            selected = NDArrays.where(naturalMask, natural, rest);
            selected.attach(into);
        }
        return selected;
    }

    private static NDArray mask(boolean[] flags, Shape shape, NDManager manager) {
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = flags.length;
        return manager.create(flags).reshape(new Shape(dims)).broadcast(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SqueezeRoles that && Arrays.equals(upper, that.upper)
                && Arrays.equals(lower, that.lower);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(upper) + Arrays.hashCode(lower);
    }

    @Override
    public String toString() {
        return "SqueezeRoles[upper=" + Arrays.toString(upper) + ", lower=" + Arrays.toString(lower) + "]";
    }
}
