package dev.robustlab.ml.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, with the semantics of PyTorch's
 * {@code torch.optim.SGD} (no dampening, no Nesterov), which both papers train with:
 * <pre>
 *   d_t = g_t + λ·θ_{t−1}
 *   b_t = d_t (first step),  b_t = μ·b_{t−1} + d_t (later steps)
 *   θ_t = θ_{t−1} − η_t·b_t
 * </pre>
 * The learning rate η_t is given per step, so any schedule can drive it. Gradients are zeroed after each step
 * (the engine accumulates them). Momentum buffers live in this optimizer's manager and survive parameter
 * interpolation: PIAT keeps the optimizer state.
 */
public final class Sgd implements AutoCloseable {
    private final double momentum;
    private final double weightDecay;
    private final NDManager state;
    private final Map<String, NDArray> buffers = new HashMap<>();

    /**
     * @param momentum    μ in [0, 1)
     * @param weightDecay λ ≥ 0
     * @param parent      the optimizer's state lives in a sub-manager of it
     */
    public Sgd(double momentum, double weightDecay, NDManager parent) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be ≥ 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.state = parent.newSubManager();
    }

    /**
     * One update of every parameter that requires a gradient, then zeroes their gradients.
     *
     * @param parameters   the model's parameters
     * @param learningRate η for this step
     */
    public void step(List<Parameter> parameters, double learningRate) {
        try (NDManager scratch = state.newSubManager()) {
            for (Parameter parameter : parameters) {
                if (parameter.requiresGradient()) {
                    update(parameter, learningRate, scratch);
                }
            }
        }
    }

    private void update(Parameter parameter, double learningRate, NDManager scratch) {
        NDArray weight = parameter.getArray();
        NDArray gradient = weight.getGradient();
        gradient.attach(scratch);
        // A detached alias shares the parameter's storage: updating it in place updates the parameter without
        // autograd refusing an in-place change of a leaf that requires a gradient.
        NDArray values = weight.stopGradient();
        values.attach(scratch);
        NDArray direction = gradient;
        if (weightDecay != 0) {
            direction = values.mul(weightDecay).addi(gradient);
        }
        if (momentum != 0) {
            NDArray buffer = buffers.get(parameter.getId());
            if (buffer == null) {
                buffer = direction.duplicate();
                buffer.attach(state);
                buffers.put(parameter.getId(), buffer);
            } else {
                buffer.muli(momentum).addi(direction);
            }
            direction = buffer;
        }
        NDArray change = direction.mul(learningRate);
        change.attach(scratch);
        values.subi(change);
        gradient.subi(gradient);
    }

    @Override
    public void close() {
        state.close();
    }
}
