package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;

/** Arithmetic on 0-dimensional losses that keeps their data type and their graph. */
final class Scalars {
    private Scalars() {
    }

    /**
     * {@code scalar}·{@code factor} in the scalar's data type. Not {@code scalar.mul(factor)}: a Java double becomes
     * a FLOAT64 0-d array and PyTorch promotes the product of two 0-d arrays to FLOAT64; nor a {@code toType} of the
     * product, through which DJL passes no gradient. The factor is made a constant of the scalar's type instead
     * (in the scalar's manager).
     */
    static NDArray times(NDArray scalar, double factor) {
        NDArray constant = scalar.getManager().create(factor).toType(scalar.getDataType(), false);
        return scalar.mul(constant);
    }
}
