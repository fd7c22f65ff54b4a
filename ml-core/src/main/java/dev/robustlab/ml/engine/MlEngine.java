package dev.robustlab.ml.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The engine every array of this library lives on: DJL's PyTorch engine, on the CPU.
 *
 * <p>The process must run with {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} (the engine start
 * otherwise reaches out to the network), {@code OMP_WAIT_POLICY=PASSIVE}, and its thread counts set through
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, which the engine reads once when
 * it starts. Nothing here sets them: they belong to the process that embeds this library.
 *
 * <p>On CPUs with AVX-512 the process must also run with {@code ONEDNN_MAX_CPU_ISA=AVX2}: the oneDNN inside
 * libtorch 2.7.1 computes the input gradient of a convolution wrongly at random with its AVX-512 kernels (measured on
 * an AMD EPYC with avx512f: in 1 to 14 of 40 identical backward passes of a small conv model the input gradient
 * differed from the others, by up to 0.5 or NaN, on 56 of 64 examples; with the variable set, 0 of 40; pinned by
 * {@code ConvolutionGradientTest}). Every attack and training step on a convolutional model lives on that gradient.
 * The variable is read when the library loads, so it cannot be set from Java; the engine logs an error when it is
 * missing on such a CPU.
 */
public final class MlEngine {
    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";
    /** The environment variable that keeps oneDNN off its AVX-512 kernels, and the value it needs. */
    public static final String ONEDNN_ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";
    private static final Logger LOG = LoggerFactory.getLogger(MlEngine.class);
    private static volatile boolean checked;

    private MlEngine() {
    }

    /** The PyTorch engine, started on first use. */
    public static Engine engine() {
        if (!checked) {
            checked = true;
            if (System.getenv(ONEDNN_ISA_VARIABLE) == null && cpuHasAvx512()) {
                LOG.error("this CPU has AVX-512 and {} is not set: convolution input gradients (attacks, adversarial "
                        + "training) can be wrong at random; restart with {}=AVX2 in the environment",
                        ONEDNN_ISA_VARIABLE, ONEDNN_ISA_VARIABLE);
            }
        }
        return Engine.getEngine(ENGINE_NAME);
    }

    private static boolean cpuHasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
