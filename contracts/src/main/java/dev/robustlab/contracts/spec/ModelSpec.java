package dev.robustlab.contracts.spec;

/**
 * The classifier to train.
 *
 * @param architecture architecture id; {@code mlp} is a one-hidden-layer perceptron with ReLU
 * @param hiddenUnits  width of the hidden layer of {@code mlp}
 */
public record ModelSpec(String architecture, Integer hiddenUnits) {
    public static final String MLP = "mlp";

    ModelSpec withDefaults() {
        return new ModelSpec(architecture == null ? MLP : architecture, hiddenUnits == null ? 64 : hiddenUnits);
    }

    /** A stable description of the architecture, e.g. {@code mlp(hidden=64)}, written into checkpoints. */
    public String describe() {
        return architecture + "(hidden=" + hiddenUnits + ")";
    }
}
