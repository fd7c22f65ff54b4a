package dev.robustlab.contracts.spec;

/**
 * Parameter interpolation (PIAT, seed 001 eq. 9-10): after epoch t the weights become
 * θ_t = α_t·θ_{t-1} + (1 − α_t)·θ̃_t, with α_t = min(α_max, (t + a) / (t + b)), t counting the interpolations done.
 *
 * @param enabled  whether to interpolate at all
 * @param a        schedule numerator offset (default 1)
 * @param b        schedule denominator offset (default 10)
 * @param alphaMax cap of α (default 0.99)
 */
public record PiatSpec(Boolean enabled, Double a, Double b, Double alphaMax) {
    PiatSpec withDefaults() {
        return new PiatSpec(enabled != null && enabled, a == null ? 1.0 : a, b == null ? 10.0 : b,
                alphaMax == null ? 0.99 : alphaMax);
    }

    /** α_t for the t-th interpolation (t = 0, 1, 2, ...). */
    public double alpha(int t) {
        return Math.min(alphaMax, (t + a) / (t + b));
    }
}
