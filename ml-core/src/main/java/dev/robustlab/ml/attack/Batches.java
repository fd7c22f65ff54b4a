package dev.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.engine.Seeds;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The cross-cutting work of attacks: loss gradients on fresh leaves, per-example selection, noise from Java. */
final class Batches {
    private Batches() {
    }

    /** The loss per example and whether the model gets the example wrong, at one point. */
    record Values(float[] loss, boolean[] misclassified) {
    }

    /** ∇_x Σ_i ℓ(f(x)_i, y_i) at a point (in the requested manager), with the values there. */
    record Gradient(NDArray gradient, float[] loss, boolean[] misclassified) {
    }

    /**
     * The gradient of the summed loss at {@code point}, differentiated with respect to a fresh leaf so that nothing
     * accumulates; the model runs in inference mode. The gradient is attached to {@code into}, every temporary is
     * closed.
     */
    static Gradient gradient(Classifier model, NDArray point, NDArray labels, LogitLoss loss, NDManager into) {
        return differentiate(model, point, labels, loss, into, true);
    }

    /** As {@link #gradient}, the gradient alone: no loss values or outcome are copied back from the device. */
    static NDArray lossGradient(Classifier model, NDArray point, NDArray labels, LogitLoss loss, NDManager into) {
        return differentiate(model, point, labels, loss, into, false).gradient();
    }

    private static Gradient differentiate(Classifier model, NDArray point, NDArray labels, LogitLoss loss,
                                          NDManager into, boolean withValues) {
        try (NDManager step = into.newSubManager()) {
            NDArray leaf = point.stopGradient();
            leaf.attach(step);
            leaf.setRequiresGradient(true);
            NDArray perExample;
            NDArray logits;
            try (GradientScope gradients = GradientScope.open()) {
                logits = model.logits(leaf, false);
                perExample = loss.perExample(logits, labels);
                gradients.backward(perExample.sum());
            }
            NDArray gradient = leaf.getGradient();
            gradient.attach(into);
            if (!withValues) {
                return new Gradient(gradient, null, null);
            }
            return new Gradient(gradient, perExample.stopGradient().toFloatArray(),
                    misclassified(logits.stopGradient(), labels));
        }
    }

    /** The loss and the outcome at {@code point}, without a graph. */
    static Values values(Classifier model, NDArray point, NDArray labels, LogitLoss loss) {
        try (NDManager scope = point.getManager().newSubManager()) {
            NDArray leaf = point.stopGradient();
            leaf.attach(scope);
            NDArray logits = model.logits(leaf, false);
            return new Values(loss.perExample(logits, labels).toFloatArray(), misclassified(logits, labels));
        }
    }

    /** Whether the arg-max logit differs from the label, per example. */
    static boolean[] misclassified(Classifier model, NDArray point, NDArray labels) {
        try (NDManager scope = point.getManager().newSubManager()) {
            NDArray leaf = point.stopGradient();
            leaf.attach(scope);
            return misclassified(model.logits(leaf, false), labels);
        }
    }

    /** Whether the arg-max of {@code logits} differs from the label, per example. */
    static boolean[] misclassified(NDArray logits, NDArray labels) {
        long[] predictions = logits.argMax(1).toLongArray();
        long[] truth = labels.toLongArray();
        boolean[] wrong = new boolean[predictions.length];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = predictions[i] != truth[i];
        }
        return wrong;
    }

    /**
     * Per example, {@code take[i] ? a[i] : b[i]}; in a's manager. Temporaries are closed one by one rather than
     * through a temporary attachment, so a and b may themselves be temporarily attached somewhere.
     */
    static NDArray select(boolean[] take, NDArray a, NDArray b) {
        NDManager home = a.getManager();
        NDArray flags = home.create(take);
        NDArray shaped = flags.reshape(perExampleShape(a));
        NDArray mask = shaped.broadcast(a.getShape());
        NDArray selected = NDArrays.where(mask, a, b);
        selected.attach(home);
        mask.close();
        shaped.close();
        flags.close();
        return selected;
    }

    /** A per-example scalar as an array {@code (B, 1, …, 1)} that broadcasts against {@code like}; in manager. */
    static NDArray perExample(float[] values, NDArray like, NDManager manager) {
        return manager.create(values).reshape(perExampleShape(like));
    }

    /** The examples the attack has not broken yet: the indices i with {@code !broken[i]}, ascending. */
    static int[] robustRows(boolean[] broken) {
        int count = 0;
        for (boolean b : broken) {
            count += b ? 0 : 1;
        }
        int[] rows = new int[count];
        for (int i = 0, k = 0; i < broken.length; i++) {
            if (!broken[i]) {
                rows[k++] = i;
            }
        }
        return rows;
    }

    /** The rows {@code rows} of {@code a}, in that order; in a's manager. */
    static NDArray rows(NDArray a, int[] rows) {
        try (NDManager scope = a.getManager().newSubManager()) {
            NDArray index = scope.create(Arrays.stream(rows).asLongStream().toArray());
            NDArray gathered = a.get(index);
            gathered.attach(a.getManager());
            return gathered;
        }
    }

    /**
     * {@code into} with the rows {@code rows} replaced by the rows of {@code part} (row k of part goes to row
     * rows[k]); in part's manager.
     */
    static NDArray scatter(NDArray into, NDArray part, int[] rows) {
        int batch = Math.toIntExact(into.getShape().get(0));
        long[] source = new long[batch];
        for (int i = 0; i < batch; i++) {
            source[i] = part.getShape().get(0) + i;
        }
        for (int k = 0; k < rows.length; k++) {
            source[rows[k]] = k;
        }
        NDManager home = part.getManager();
        NDArray both = NDArrays.concat(new NDList(part, into));
        NDArray index = home.create(source);
        NDArray result = both.get(index);
        result.attach(home);
        index.close();
        both.close();
        return result;
    }

    /** Axes 1 … n−1 of an array {@code (B, …)}. */
    static int[] featureAxes(NDArray a) {
        int[] axes = new int[a.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    /** U(low, high)^shape drawn in Java, in {@code manager}. */
    static NDArray uniform(Shape shape, double low, double high, SplittableRandom random, NDManager manager) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return manager.create(values, shape);
    }

    /** N(0, 1)^shape drawn in Java, in {@code manager}. */
    static NDArray gaussian(Shape shape, SplittableRandom random, NDManager manager) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Seeds.gaussian(random);
        }
        return manager.create(values, shape);
    }

    /**
     * A random direction of unit {@code norm} per example, u/‖u‖ with u ~ U(−1, 1)^d (l∞) or N(0, I) (l2), as
     * APGD and FAB draw their starting points; in {@code manager}.
     */
    static NDArray randomDirection(Norm norm, Shape shape, SplittableRandom random, NDManager manager) {
        try (NDManager temporaries = manager.newSubManager()) {
            NDArray u = norm == Norm.LINF ? uniform(shape, -1, 1, random, temporaries)
                    : gaussian(shape, random, temporaries);
            NDArray direction = norm.normalize(u);
            direction.attach(manager);
            return direction;
        }
    }

    private static Shape perExampleShape(NDArray like) {
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = like.getShape().get(0);
        return new Shape(dims);
    }
}
