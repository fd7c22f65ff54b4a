package dev.robustlab.ml.training;

/** Checks of training hyper-parameters, with errors that name the method, the parameter and the reason. */
final class Hyperparameters {
    private Hyperparameters() {
    }

    /** @throws IllegalArgumentException unless {@code value} is finite and ≥ 0 */
    static double nonNegative(String method, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(prefix(method, name) + " must be finite and ≥ 0, got " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException unless {@code value} is finite */
    static double finite(String method, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(prefix(method, name) + " must be finite, got " + value);
        }
        return value;
    }

    /** A 0/1 switch. @throws IllegalArgumentException unless {@code value} is 0 or 1 */
    static boolean flag(String method, String name, double value) {
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException(prefix(method, name) + " must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    private static String prefix(String method, String name) {
        return "training method '" + method + "': parameter '" + name + "'";
    }
}
