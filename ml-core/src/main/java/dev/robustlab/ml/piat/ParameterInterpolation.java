package dev.robustlab.ml.piat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.PiatSpec;
import dev.robustlab.ml.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * PIAT's interpolation step. At the end of epoch t:
 * <pre>
 *   θ_t = α_t · θ_{t−1} + (1 − α_t) · θ̃_t,    α_t = min(α_max, (t + a) / (t + b))
 * </pre>
 * where θ_{t−1} are the (interpolated) weights that started the epoch, θ̃_t the weights after training it, and t
 * counts the interpolations done so far (0, 1, 2, …; α = 0.10, 0.18, … with the defaults a = 1, b = 10,
 * α_max = 0.99: small early, growing toward 1). Every parameter is interpolated, BatchNorm running statistics
 * included; the optimizer state is left alone.
 *
 * <pre>{@code
 * try (ParameterInterpolation.Snapshot start = piat.snapshot(model)) {
 *     trainOneEpoch();
 *     double alpha = piat.interpolate(model, start);
 * }
 * }</pre>
 */
public final class ParameterInterpolation {
    private final PiatSpec spec;
    private int done;

    /** @param spec the schedule's a, b and α_max */
    public ParameterInterpolation(PiatSpec spec) {
        this.spec = spec;
    }

    /** Number of interpolations done so far: the t of the next one. */
    public int interpolationsDone() {
        return done;
    }

    /** The α the next interpolation will use. */
    public double nextAlpha() {
        return spec.alpha(done);
    }

    /** A copy of the current parameters θ_{t−1}, in a sub-manager of the model's manager; close it after use. */
    public Snapshot snapshot(Classifier model) {
        NDManager manager = model.manager().newSubManager();
        List<NDArray> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            NDArray alias = parameter.getArray().stopGradient();
            alias.attach(manager);
            NDArray copy = alias.duplicate();
            alias.close();
            values.add(copy);
        }
        return new Snapshot(manager, values);
    }

    /**
     * Replaces the model's parameters θ̃_t, in place, by α_t·θ_{t−1} + (1 − α_t)·θ̃_t and counts the interpolation.
     *
     * @param model the model after training the epoch
     * @param start the snapshot taken when the epoch started (consumed: its values are overwritten)
     * @return the α_t used
     */
    public double interpolate(Classifier model, Snapshot start) {
        List<Parameter> parameters = model.parameters();
        if (parameters.size() != start.values.size()) {
            throw new IllegalArgumentException("snapshot of " + start.values.size() + " parameters, model has "
                    + parameters.size());
        }
        double alpha = spec.alpha(done);
        try (NDManager scratch = start.manager.newSubManager()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray values = parameters.get(i).getArray().stopGradient();
                values.attach(scratch);
                values.muli(1 - alpha).addi(start.values.get(i).muli(alpha));
            }
        }
        done++;
        return alpha;
    }

    /** Parameter values at the start of an epoch. */
    public static final class Snapshot implements AutoCloseable {
        private final NDManager manager;
        private final List<NDArray> values;

        private Snapshot(NDManager manager, List<NDArray> values) {
            this.manager = manager;
            this.values = values;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
