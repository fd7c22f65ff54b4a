package dev.robustlab.contracts.spec;

/**
 * How to train.
 *
 * @param method training objective id: {@code pgd-at} (Madry et al. 2018) or {@code standard} (clean training)
 * @param piat   parameter interpolation around the objective
 */
public record TrainingSpec(String method, PiatSpec piat) {
    public static final String PGD_AT = "pgd-at";
    public static final String STANDARD = "standard";

    TrainingSpec withDefaults() {
        return new TrainingSpec(method == null ? PGD_AT : method,
                (piat == null ? new PiatSpec(null, null, null, null) : piat).withDefaults());
    }
}
