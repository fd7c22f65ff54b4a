package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What the objectives that regularise between a clean and an adversarial point prepare: the list {@code (x, x')},
 * clean inputs first. Tests build it directly to evaluate a loss on chosen points.
 */
final class AdversarialPair {
    private AdversarialPair() {
    }

    /** The prepared list {@code (x, x')}. */
    static NDList of(NDArray clean, NDArray adversarial) {
        return new NDList(clean, adversarial);
    }

    /** x. @throws IllegalArgumentException if {@code prepared} is not a pair of equal shapes */
    static NDArray clean(NDList prepared) {
        check(prepared);
        return prepared.get(0);
    }

    /** x'. @throws IllegalArgumentException if {@code prepared} is not a pair of equal shapes */
    static NDArray adversarial(NDList prepared) {
        check(prepared);
        return prepared.get(1);
    }

    private static void check(NDList prepared) {
        if (prepared == null || prepared.size() != 2) {
            throw new IllegalArgumentException("prepared inputs must be (x, x'), got "
                    + (prepared == null ? "null" : prepared.size() + " arrays"));
        }
        if (!prepared.get(0).getShape().equals(prepared.get(1).getShape())) {
            throw new IllegalArgumentException("x and x' must have the same shape, got " + prepared.get(0).getShape()
                    + " and " + prepared.get(1).getShape());
        }
    }
}
