package dev.robustlab.contracts.spec;

/**
 * The optimizer: SGD with momentum and weight decay, as both papers use.
 *
 * <p>The defaults depend on the dataset (../shared/METHODS.md): on {@code toy-circles} the PIAT toy study's lr 0.5
 * without weight decay; on the image datasets the PIAT paper's ResNet-18 setting, lr 0.01 (also its SVHN rate) and
 * weight decay 5·10⁻⁴. Momentum is 0.9 everywhere.
 *
 * @param name         {@code sgd}
 * @param learningRate base learning rate (default 0.5 on toy-circles, 0.01 otherwise)
 * @param momentum     momentum (default 0.9)
 * @param weightDecay  L2 weight decay (default 0 on toy-circles, 5e-4 otherwise)
 */
public record OptimizerSpec(String name, Double learningRate, Double momentum, Double weightDecay) {
    public static final String SGD = "sgd";

    OptimizerSpec withDefaults(String dataset) {
        boolean toy = DatasetSpec.TOY_CIRCLES.equals(dataset);
        return new OptimizerSpec(name == null ? SGD : name,
                learningRate == null ? (toy ? 0.5 : 0.01) : learningRate,
                momentum == null ? 0.9 : momentum,
                weightDecay == null ? (toy ? 0.0 : 5e-4) : weightDecay);
    }
}
