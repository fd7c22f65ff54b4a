package dev.robustlab.contracts.spec;

import java.util.List;

/**
 * The adversary, for training attacks and as the default for evaluation attacks. Inputs live in [0,1].
 *
 * @param norm     {@code linf}
 * @param epsilon  radius of the ball B_ε(x) (default 8/255 on CIFAR-10/100 and SVHN, the papers' setting; 0.1 on
 *                 toy-circles and Fashion-MNIST)
 * @param stepSize PGD step size α of the training attack (default ε/4, i.e. 2/255 at ε = 8/255; ε/8 = 1/255 on SVHN,
 *                 as the papers train there)
 * @param steps    PGD steps of the training attack (default 10)
 */
public record ThreatModel(String norm, Double epsilon, Double stepSize, Integer steps) {
    public static final String LINF = "linf";

    ThreatModel withDefaults(String dataset) {
        boolean rgb32 = DatasetSpec.facts(dataset).map(f -> f.exampleShape().equals(List.of(3, 32, 32)))
                .orElse(false);
        double eps = epsilon != null ? epsilon : rgb32 ? 8.0 / 255 : 0.1;
        double alphaDivisor = DatasetSpec.SVHN.equals(dataset) ? 8 : 4;
        return new ThreatModel(norm == null ? LINF : norm, eps, stepSize == null ? eps / alphaDivisor : stepSize,
                steps == null ? 10 : steps);
    }
}
