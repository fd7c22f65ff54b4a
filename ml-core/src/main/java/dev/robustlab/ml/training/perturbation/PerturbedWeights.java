package dev.robustlab.ml.training.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.training.ParameterValues;

import java.util.List;

/**
 * A model whose weights w were moved to w + v by {@link WeightPerturbation#perturb}. Closing it copies the kept
 * w back into the weights, so they are bit for bit what they were (not w + v − v, which rounding would change);
 * the gradients computed at w + v stay for the optimizer step. Close it outside any gradient collector.
 */
public final class PerturbedWeights implements AutoCloseable {
    private final List<Parameter> weights;
    private final List<NDArray> original;
    private final List<NDArray> perturbation;
    private final NDManager state;
    private boolean closed;

    PerturbedWeights(List<Parameter> weights, List<NDArray> original, List<NDArray> perturbation,
                     NDManager state) {
        this.weights = List.copyOf(weights);
        this.original = List.copyOf(original);
        this.perturbation = List.copyOf(perturbation);
        this.state = state;
    }

    /** The perturbed weights, in the model's order. */
    public List<Parameter> weights() {
        return weights;
    }

    /**
     * The perturbation v_l of each weight, in the order of {@link #weights()}, valid until closed; empty when no
     * example was selected at the first step (the weights were not moved).
     */
    public List<NDArray> perturbations() {
        return perturbation;
    }

    /** Copies w back into the weights, exactly. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ParameterValues.assign(weights, original);
        } finally {
            state.close();
        }
    }
}
