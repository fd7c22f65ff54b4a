package dev.robustlab.contracts.spec;

/**
 * The adversary, for training attacks and as the default for evaluation attacks. Inputs live in [0,1].
 *
 * @param norm     {@code linf}
 * @param epsilon  radius of the ball B_ε(x)
 * @param stepSize PGD step size α of the training attack (default ε/4, i.e. 2/255 at ε = 8/255)
 * @param steps    PGD steps of the training attack (default 10)
 */
public record ThreatModel(String norm, Double epsilon, Double stepSize, Integer steps) {
    public static final String LINF = "linf";

    ThreatModel withDefaults() {
        double eps = epsilon == null ? 0.1 : epsilon;
        return new ThreatModel(norm == null ? LINF : norm, eps, stepSize == null ? eps / 4 : stepSize,
                steps == null ? 10 : steps);
    }
}
