package dev.robustlab.ml.attack;

/** Checks shared by the attack builders. */
final class Arguments {
    private Arguments() {
    }

    static void epsilon(double epsilon) {
        if (!(epsilon > 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in (0, 1], got " + epsilon);
        }
    }

    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }

    static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be ≥ " + least + ", got " + value);
        }
    }
}
