package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies of parameter values and exact in-place assignment, for objectives and modifiers that swap weights and
 * must put them back bit for bit (weight perturbation, CFA's weight average). Assignment is a copy into the
 * parameter's own storage (the parameter store caches its array), through a detached alias so that autograd does
 * not refuse an in-place change of a leaf that requires a gradient; do it outside any recorded graph.
 */
public final class ParameterValues {
    private static final NDIndex ALL = new NDIndex("...");

    private ParameterValues() {
    }

    /** A copy of each parameter's current value, in {@code manager}, in the order given. */
    public static List<NDArray> copy(List<Parameter> parameters, NDManager manager) {
        List<NDArray> copies = new ArrayList<>(parameters.size());
        for (Parameter parameter : parameters) {
            copies.add(copy(parameter.getArray(), manager));
        }
        return copies;
    }

    /** A detached copy of {@code array} in {@code manager}. */
    public static NDArray copy(NDArray array, NDManager manager) {
        NDArray alias = array.stopGradient();
        alias.attach(manager);
        NDArray copy = alias.duplicate();
        alias.close();
        return copy;
    }

    /** Overwrites the parameter's value, in place, with exactly the values of {@code source} (same shape). */
    public static void assign(Parameter parameter, NDArray source) {
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(source.getShape())) {
            throw new IllegalArgumentException("parameter " + parameter.getName() + " has shape " + target.getShape()
                    + ", the value to assign " + source.getShape());
        }
        try (NDManager scratch = source.getManager().newSubManager()) {
            NDArray alias = target.stopGradient();
            alias.attach(scratch);
            alias.set(ALL, source);
        }
    }

    /** {@link #assign} of each value to the parameter at the same position. */
    public static void assign(List<Parameter> parameters, List<NDArray> values) {
        if (parameters.size() != values.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + parameters.size() + " parameters");
        }
        for (int i = 0; i < parameters.size(); i++) {
            assign(parameters.get(i), values.get(i));
        }
    }
}
