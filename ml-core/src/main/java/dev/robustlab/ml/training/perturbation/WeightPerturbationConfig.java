package dev.robustlab.ml.training.perturbation;

import java.util.Locale;

/**
 * How to perturb the weights before each training step (../shared/METHODS.md, "Baselines").
 *
 * @param type          {@code awp} or {@code rwp}; it sets the defaults of the other fields
 * @param gamma         γ &gt; 0: each perturbed layer's perturbation has norm γ‖w_l‖ (AWP and RWP default 0.01;
 *                      the AWP paper uses 0.005 with TRADES)
 * @param steps         ascent steps K ≥ 1 (AWP 1, RWP 10)
 * @param lossThreshold only examples whose adversarial cross-entropy is below it drive the ascent; positive
 *                      infinity for all of them (AWP +∞, RWP 1.7)
 */
public record WeightPerturbationConfig(String type, double gamma, int steps, double lossThreshold) {
    /** Adversarial weight perturbation (Wu et al. 2020). */
    public static final String AWP = "awp";
    /** Robust weight perturbation (Yu et al. 2022). */
    public static final String RWP = "rwp";

    /** @throws IllegalArgumentException naming the first bad field */
    public WeightPerturbationConfig {
        if (!AWP.equals(type) && !RWP.equals(type)) {
            throw new IllegalArgumentException("weightPerturbation.type must be awp or rwp, got "
                    + (type == null ? "nothing" : "'" + type + "'"));
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("weightPerturbation.gamma must be a positive number, got " + gamma);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("weightPerturbation.steps must be ≥ 1, got " + steps);
        }
        if (!(lossThreshold > 0)) {
            throw new IllegalArgumentException("weightPerturbation.lossThreshold must be positive (or infinite: "
                    + "every example), got " + lossThreshold);
        }
    }

    /** AWP with its defaults: γ = 0.01, one step, every example. */
    public static WeightPerturbationConfig awp() {
        return of(AWP, null, null, null);
    }

    /** RWP with its defaults: γ = 0.01, 10 steps, examples with adversarial cross-entropy below 1.7. */
    public static WeightPerturbationConfig rwp() {
        return of(RWP, null, null, null);
    }

    /**
     * A configuration of {@code type} (case-insensitive) with the given fields; a null field takes the type's
     * default.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    public static WeightPerturbationConfig of(String type, Double gamma, Integer steps, Double lossThreshold) {
        String normalized = type == null ? null : type.toLowerCase(Locale.ROOT);
        boolean rwp = RWP.equals(normalized);
        return new WeightPerturbationConfig(normalized, gamma == null ? 0.01 : gamma,
                steps == null ? (rwp ? 10 : 1) : steps,
                lossThreshold == null ? (rwp ? 1.7 : Double.POSITIVE_INFINITY) : lossThreshold);
    }

    /** Whether examples are selected by their adversarial cross-entropy. */
    public boolean selectsExamples() {
        return lossThreshold != Double.POSITIVE_INFINITY;
    }
}
