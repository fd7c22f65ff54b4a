package dev.robustlab.ml.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A gradient collector held under a process-wide lock.
 *
 * <p>DJL's PyTorch engine allows one open {@link GradientCollector} per process, across all threads (a static
 * flag); opening a second one fails. Every place in this library that records a graph opens it through this class,
 * so that two threads of one JVM (say, two shard evaluations) wait for each other instead of failing. The collector
 * never zeroes gradients: callers differentiate with respect to fresh leaves, or zero parameter gradients
 * themselves after each optimizer step.
 *
 * <pre>{@code
 * try (GradientScope scope = GradientScope.open()) {
 *     NDArray loss = ...;
 *     scope.backward(loss);
 * }
 * }</pre>
 */
public final class GradientScope implements AutoCloseable {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private final GradientCollector collector;
    private boolean closed;

    private GradientScope() {
        LOCK.lock();
        try {
            collector = MlEngine.engine().newGradientCollector();
        } catch (RuntimeException e) {
            LOCK.unlock();
            throw e;
        }
    }

    /** Waits for the lock, then opens the collector. */
    public static GradientScope open() {
        return new GradientScope();
    }

    /** Back-propagates from {@code target} (summed if it is not a scalar) into every array that requires a gradient. */
    public void backward(NDArray target) {
        collector.backward(target);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            collector.close();
        } finally {
            LOCK.unlock();
        }
    }
}
