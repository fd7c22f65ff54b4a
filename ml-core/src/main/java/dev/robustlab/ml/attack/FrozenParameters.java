package dev.robustlab.ml.attack;

import ai.djl.nn.Parameter;
import dev.robustlab.ml.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Freezes every parameter of a model while it is open, and on close gives each parameter back the gradient flag
 * it had: trainable weights become trainable again, and parameters that were frozen before (BatchNorm running
 * mean and variance, a model loaded for evaluation) stay frozen, so the next training forward does not fail on
 * {@code running_mean}.
 *
 * <pre>{@code
 * try (FrozenParameters frozen = FrozenParameters.freeze(model)) {
 *     // gradients flow to inputs only
 * }
 * }</pre>
 */
public final class FrozenParameters implements AutoCloseable {
    private final List<Parameter> toRestore;

    private FrozenParameters(List<Parameter> toRestore) {
        this.toRestore = toRestore;
    }

    /** Freezes all parameters of {@code model}. */
    public static FrozenParameters freeze(Classifier model) {
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.requiresGradient()) {
                trainable.add(parameter);
            }
        }
        model.block().freezeParameters(true);
        return new FrozenParameters(trainable);
    }

    @Override
    public void close() {
        for (Parameter parameter : toRestore) {
            parameter.freeze(false);
        }
    }
}
