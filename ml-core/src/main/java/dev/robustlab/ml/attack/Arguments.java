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

    /** ε of a ball of {@code norm}: in (0, 1] for l∞ (the whole box), any positive number for l2. */
    static void epsilon(Norm norm, double epsilon) {
        if (norm == Norm.LINF) {
            epsilon(epsilon);
        } else {
            positive("epsilon", epsilon);
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
