package dev.robustlab.ml.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** One-hot encoding of labels for the losses of this package. */
final class OneHot {
    private OneHot() {
    }

    /**
     * One-hot labels {@code (B, K)} FLOAT32 in the logits' manager. DJL's {@code oneHot} leaves an INT64
     * intermediate in the labels' manager (one array per call, which inside an attack's loop is one per step):
     * here it is made from a detached copy of the labels in a temporary manager, closed with the intermediate.
     */
    static NDArray of(NDArray logits, NDArray labels) {
        if (labels.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("labels must be INT64, got " + labels.getDataType());
        }
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDManager home = logits.getManager();
        try (NDManager temporaries = home.newSubManager()) {
            NDArray detached = labels.stopGradient();
            detached.attach(temporaries);
            NDArray oneHot = detached.oneHot(classes, DataType.FLOAT32);
            oneHot.attach(home);
            return oneHot;
        }
    }
}
