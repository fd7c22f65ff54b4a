package dev.robustlab.ml.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The engine every array of this library lives on: DJL's PyTorch engine, on the CPU.
 *
 * <p>The process must run with {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} (the engine start
 * otherwise reaches out to the network), {@code OMP_WAIT_POLICY=PASSIVE}, and its thread counts set through
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, which the engine reads once when
 * it starts. Nothing here sets them: they belong to the process that embeds this library.
 */
public final class MlEngine {
    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";

    private MlEngine() {
    }

    /** The PyTorch engine, started on first use. */
    public static Engine engine() {
        return Engine.getEngine(ENGINE_NAME);
    }

    /** The device arrays are created on. The GPU path is not wired yet: CPU only. */
    public static Device device() {
        return Device.cpu();
    }

    /** A new base manager on {@link #device()}; the caller owns it and closes it. */
    public static NDManager newBaseManager() {
        return engine().newBaseManager(device());
    }
}
