package dev.robustlab.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.robustlab.ml.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * BatchNorm's running mean and variance held fixed around forwards that must use batch statistics without
 * updating them (Squeeze Training's generation, the ascent of weight perturbation): the authors' code turns
 * {@code track_running_stats} off there. A training-mode forward of DJL's BatchNorm always updates the running
 * statistics in place, so this class snapshots them when opened and puts the snapshot back when closed: the
 * statistics are bit-identical before and after.
 *
 * <p>The snapshot is put back by handing each statistic's array the snapshot's native tensor
 * ({@link NDArray#intern}), not by an in-place copy: an autograd graph recorded in between (Squeeze Training's
 * loss forwards x_col with frozen statistics inside the step's gradient collector) saved the tensor the forward
 * used for its backward pass, and an in-place write to it before the backward would fail PyTorch's version check.
 * The parameter keeps its array object (the parameter store caches it); only the tensor behind it changes.
 *
 * <pre>{@code
 * try (RunningStatistics frozen = RunningStatistics.freeze(model)) {
 *     model.logits(x, true); // batch statistics; running statistics restored on close
 * }
 * }</pre>
 */
public final class RunningStatistics implements AutoCloseable {
    private final List<Parameter> statistics;
    private final NDManager manager;
    private final List<NDArray> snapshot;
    private boolean closed;

    private RunningStatistics(List<Parameter> statistics, NDManager manager, List<NDArray> snapshot) {
        this.statistics = statistics;
        this.manager = manager;
        this.snapshot = snapshot;
    }

    /** Snapshots every running mean and variance of {@code model} (none for a model without BatchNorm). */
    public static RunningStatistics freeze(Classifier model) {
        List<Parameter> statistics = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            if (isRunningStatistic(parameter)) {
                statistics.add(parameter);
            }
        }
        NDManager manager = model.manager().newSubManager();
        List<NDArray> snapshot = new ArrayList<>(statistics.size());
        for (Parameter parameter : statistics) {
            NDArray alias = parameter.getArray().stopGradient();
            alias.attach(manager);
            snapshot.add(alias.duplicate());
            alias.close();
        }
        return new RunningStatistics(statistics, manager, snapshot);
    }

    /** Whether {@code parameter} is a BatchNorm running mean or variance. */
    public static boolean isRunningStatistic(Parameter parameter) {
        return parameter.getType() == Parameter.Type.RUNNING_MEAN || parameter.getType() == Parameter.Type.RUNNING_VAR;
    }

    /** Puts the snapshot back; the statistics hold exactly the values they had when frozen. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (int i = 0; i < statistics.size(); i++) {
                statistics.get(i).getArray().intern(snapshot.get(i));
            }
        } finally {
            manager.close();
        }
    }
}
