package dev.robustlab.contracts.spec;

/**
 * The optimizer: SGD with momentum and weight decay, as both papers use.
 *
 * @param name         {@code sgd}
 * @param learningRate base learning rate (the toy study uses 0.5)
 * @param momentum     momentum (default 0.9)
 * @param weightDecay  L2 weight decay (default 0)
 */
public record OptimizerSpec(String name, Double learningRate, Double momentum, Double weightDecay) {
    public static final String SGD = "sgd";

    OptimizerSpec withDefaults() {
        return new OptimizerSpec(name == null ? SGD : name, learningRate == null ? 0.5 : learningRate,
                momentum == null ? 0.9 : momentum, weightDecay == null ? 0.0 : weightDecay);
    }
}
