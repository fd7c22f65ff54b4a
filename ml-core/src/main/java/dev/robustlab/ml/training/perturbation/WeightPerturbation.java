package dev.robustlab.ml.training.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.engine.GradientScope;
import dev.robustlab.ml.loss.LogitLoss;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.training.ParameterValues;
import dev.robustlab.ml.training.RunningStatistics;
import dev.robustlab.ml.training.TrainingObjective;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AWP and RWP as a modifier on any {@link TrainingObjective}. On a prepared batch, for every weight w_l with more
 * than one axis (linear and convolution weights; biases and BatchNorm's affine parameters are not perturbed, as
 * in the authors' code), with L the objective's loss:
 * <pre>
 *   v⁰ = 0,  D⁰ = 0
 *   step t = 0 … K−1 (at the weights w + v^t):
 *     S^t = {i : CE(z_i, y_i) &lt; τ}, z the objective's logits ({@link TrainingObjective.Value#logits})
 *           (every example when τ = +∞; stop early when S^t is empty: v stays)
 *     D^{t+1}_l = D^t_l + ∇_{w_l} (1/B)·Σ_{i ∈ S^t} ℓ_i     ({@link TrainingObjective#maskedLoss}; L for S = all)
 *     v^{t+1}_l = γ·‖w_l‖·D^{t+1}_l / (‖D^{t+1}_l‖ + 1e-20)
 * </pre>
 * so ‖v_l‖ = γ‖w_l‖ per layer (below it only by the 1e-20). AWP: K = 1, τ = +∞: one normalised ascent step on L
 * (the authors take one SGD step on a proxy copy and normalise the difference, which for plain SGD is the
 * gradient's direction). RWP: K = 10, τ = 1.7, the gradient of each step taken at the normalised perturbation
 * of the steps before, as in the authors' code; that code scales the perturbation by the norm of all layers
 * together, here each layer is scaled by its own norm as METHODS.md states it.
 *
 * <p>The forwards of the ascent run in training mode (batch statistics) and leave the BatchNorm running
 * statistics untouched ({@link RunningStatistics}: the authors run them on a proxy model); the parameter
 * gradients they produce are zeroed. {@link #perturb} returns with the weights at w + v; the caller computes the
 * training step's gradient there, closes the returned {@link PerturbedWeights}, which copies w back bit for bit,
 * and then steps the optimizer:
 * <pre>{@code
 * try (PerturbedWeights perturbed = perturbation.perturb(model, objective, prepared, labels)) {
 *     try (GradientScope gradients = GradientScope.open()) {
 *         gradients.backward(objective.loss(model, prepared, labels).loss());
 *     }
 * }
 * optimizer.step(model.parameters(), rate);
 * }</pre>
 */
public final class WeightPerturbation {
    private static final double NORM_FLOOR = 1e-20;

    private final WeightPerturbationConfig config;
    private final LogitLoss crossEntropy = LogitLoss.crossEntropy();

    /** @param config type, γ, steps and loss threshold */
    public WeightPerturbation(WeightPerturbationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public WeightPerturbationConfig config() {
        return config;
    }

    /** The parameters AWP/RWP perturb: trainable weights with more than one axis, in the model's order. */
    public static List<Parameter> perturbable(Classifier model) {
        List<Parameter> weights = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.requiresGradient() && parameter.getType() == Parameter.Type.WEIGHT
                    && parameter.getArray().getShape().dimension() > 1) {
                weights.add(parameter);
            }
        }
        return weights;
    }

    /**
     * Finds v on this batch and moves the weights to w + v; outside any gradient collector.
     *
     * @param prepared what the objective's {@code prepare} returned, every array per example on axis 0
     * @return the perturbed state; closing it restores w exactly
     */
    public PerturbedWeights perturb(Classifier model, TrainingObjective objective, NDList prepared,
                                    NDArray labels) {
        List<Parameter> weights = perturbable(model);
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.requiresGradient()) {
                trainable.add(parameter);
            }
        }
        NDManager state = model.manager().newSubManager();
        if (weights.isEmpty()) {
            return new PerturbedWeights(weights, List.of(), List.of(), state);
        }
        try {
            List<NDArray> original = ParameterValues.copy(weights, state);
            double[] weightNorms = new double[weights.size()];
            List<NDArray> directions = new ArrayList<>(weights.size());
            for (int l = 0; l < weights.size(); l++) {
                weightNorms[l] = norm(original.get(l));
                directions.add(state.zeros(original.get(l).getShape(), original.get(l).getDataType()));
            }
            List<NDArray> perturbation = new ArrayList<>(weights.size());
            try (RunningStatistics untouched = RunningStatistics.freeze(model)) {
                for (int t = 0; t < config.steps(); t++) {
                    if (!ascend(model, objective, prepared, labels, weights, trainable, directions, state)) {
                        break;
                    }
                    closeAll(perturbation);
                    perturbation = scaled(directions, weightNorms, state);
                    moveTo(weights, original, perturbation, state);
                }
            }
            return new PerturbedWeights(weights, original, perturbation, state);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** Adds this step's gradient to D; false (and no change) when no example is selected. */
    private boolean ascend(Classifier model, TrainingObjective objective, NDList prepared, NDArray labels,
                           List<Parameter> weights, List<Parameter> trainable, List<NDArray> directions,
                           NDManager state) {
        try (NDManager step = state.newSubManager()) {
            step.tempAttachAll(prepared, labels);
            boolean[] selected = null;
            if (config.selectsExamples()) {
                selected = select(model, objective, prepared, labels);
                if (selected == null) {
                    return false;
                }
            }
            try (GradientScope gradients = GradientScope.open()) {
                TrainingObjective.Value value = selected == null ? objective.loss(model, prepared, labels)
                        : objective.maskedLoss(model, prepared, labels, selected);
                gradients.backward(value.loss());
            }
            for (int l = 0; l < weights.size(); l++) {
                NDArray gradient = weights.get(l).getArray().getGradient();
                gradient.attach(step);
                directions.get(l).addi(gradient);
            }
            for (Parameter parameter : trainable) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(step);
                gradient.subi(gradient);
            }
            return true;
        }
    }

    /** The examples whose cross-entropy on the objective's logits is below τ, or null if there is none. */
    private boolean[] select(Classifier model, TrainingObjective objective, NDList prepared, NDArray labels) {
        TrainingObjective.Value value = objective.loss(model, prepared, labels);
        float[] loss = crossEntropy.perExample(value.logits().stopGradient(), labels).toFloatArray();
        boolean[] selected = new boolean[loss.length];
        boolean any = false;
        for (int i = 0; i < loss.length; i++) {
            selected[i] = loss[i] < config.lossThreshold();
            any |= selected[i];
        }
        return any ? selected : null;
    }

    /** v_l = γ‖w_l‖·D_l/(‖D_l‖ + 1e-20), in {@code state}. */
    private List<NDArray> scaled(List<NDArray> directions, double[] weightNorms, NDManager state) {
        List<NDArray> perturbation = new ArrayList<>(directions.size());
        for (int l = 0; l < directions.size(); l++) {
            NDArray direction = directions.get(l);
            double scale = config.gamma() * weightNorms[l] / (norm(direction) + NORM_FLOOR);
            NDArray v = direction.mul(scale);
            v.attach(state);
            perturbation.add(v);
        }
        return perturbation;
    }

    /** Sets every weight to w_l + v_l. */
    private static void moveTo(List<Parameter> weights, List<NDArray> original, List<NDArray> perturbation,
                               NDManager state) {
        try (NDManager scratch = state.newSubManager()) {
            for (int l = 0; l < weights.size(); l++) {
                NDArray moved = original.get(l).add(perturbation.get(l));
                moved.attach(scratch);
                ParameterValues.assign(weights.get(l), moved);
            }
        }
    }

    /** The l2 norm over all entries. */
    static double norm(NDArray array) {
        try (NDManager scratch = array.getManager().newSubManager()) {
            NDArray norm = array.norm();
            norm.attach(scratch);
            return norm.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    private static void closeAll(List<NDArray> arrays) {
        for (NDArray array : arrays) {
            array.close();
        }
    }
}
