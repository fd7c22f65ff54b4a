package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The difference of logits ratio (Croce &amp; Hein, "Reliable evaluation of adversarial robustness with an ensemble
 * of diverse parameter-free attacks", ICML 2020, eq. 5 and 6), the loss of APGD-DLR and APGD-T. With the logits
 * z sorted decreasingly, z_π1 ≥ z_π2 ≥ …,
 * <pre>
 *   DLR(z, y)    = −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 10⁻¹²)                (K ≥ 3 classes)
 *   DLR_T(z, y, t) = −(z_y − z_t) / (z_π1 − ½(z_π3 + z_π4) + 10⁻¹²)              (K ≥ 4 classes)
 * </pre>
 * Both are invariant to shifting and to positive rescaling of the logits, so a model cannot hide behind their
 * scale. DLR is positive exactly when the example is misclassified. Shapes: logits {@code (B, K)}, labels and
 * targets {@code (B)} INT64; the result {@code (B)} lives in the logits' manager.
 */
public final class DlrLoss {
    private static final float TINY = 1e-12f;

    private DlrLoss() {
    }

    /** DLR(z_i, y_i) for every example. @throws IllegalArgumentException with fewer than 3 classes */
    public static NDArray untargeted(NDArray logits, NDArray labels) {
        int classes = classes(logits, 3, "DLR");
        NDArray oneHot = oneHot(logits, labels, classes);
        NDArray trueLogit = logits.mul(oneHot).sum(new int[] {1});
        NDArray excluded = logits.getManager().full(logits.getShape(), Float.NEGATIVE_INFINITY);
        NDArray bestOther = NDArrays.where(oneHot.gt(0.5f), excluded, logits).max(new int[] {1});
        NDArray ascending = logits.sort(1);
        NDArray first = ascending.get(":, " + (classes - 1));
        NDArray third = ascending.get(":, " + (classes - 3));
        return trueLogit.sub(bestOther).neg().div(first.sub(third).add(TINY));
    }

    /**
     * DLR_T(z_i, y_i, t_i) for every example: ascending it moves the logits of class t_i above those of y_i.
     *
     * @throws IllegalArgumentException with fewer than 4 classes
     */
    public static NDArray targeted(NDArray logits, NDArray labels, NDArray targets) {
        int classes = classes(logits, 4, "targeted DLR");
        NDArray trueLogit = logits.mul(oneHot(logits, labels, classes)).sum(new int[] {1});
        NDArray targetLogit = logits.mul(oneHot(logits, targets, classes)).sum(new int[] {1});
        NDArray ascending = logits.sort(1);
        NDArray first = ascending.get(":, " + (classes - 1));
        NDArray third = ascending.get(":, " + (classes - 3));
        NDArray fourth = ascending.get(":, " + (classes - 4));
        NDArray scale = first.sub(third.add(fourth).mul(0.5f)).add(TINY);
        return trueLogit.sub(targetLogit).neg().div(scale);
    }

    private static int classes(NDArray logits, int least, String name) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        if (classes < least) {
            throw new IllegalArgumentException(name + " needs at least " + least + " classes, got " + classes);
        }
        return classes;
    }

    private static NDArray oneHot(NDArray logits, NDArray labels, int classes) {
        return OneHot.of(logits, labels);
    }
}
