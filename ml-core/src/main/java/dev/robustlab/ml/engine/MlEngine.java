package dev.robustlab.ml.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustlab.ml.engine.ConvolutionBackends.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The engine every array of this library lives on: DJL's PyTorch engine, on the GPU when there is one and the CPU
 * otherwise ({@link #device()}).
 *
 * <p>The process must run with {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} (the engine start
 * otherwise reaches out to the network), {@code OMP_WAIT_POLICY=PASSIVE}, and its thread counts set through
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, which the engine reads once when
 * it starts. Nothing here sets them: they belong to the process that embeds this library.
 *
 * <p>The engine starts with libtorch's oneDNN and NNPACK convolutions turned off ({@link ConvolutionBackends}): the
 * oneDNN 3.7.1 inside libtorch 2.7.1 computed convolution input gradients wrongly on the CPUs this project runs on (at
 * random with its AVX-512 kernels, on every pass with its AVX2 ones), and every attack and adversarial training step
 * on a convolutional model lives on that gradient ({@code ConvolutionGradientTest}); NNPACK goes with it so that the
 * same kernels run on every machine. {@code -Drobustlab.onednn=on} turns oneDNN back on, for benchmarks and to show
 * the fault.
 */
public final class MlEngine {
    /** DJL's name of the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";
    /** The system property that turns oneDNN convolutions back on ({@code on}); anything else leaves them off. */
    public static final String ONEDNN_PROPERTY = "robustlab.onednn";
    /** The system property that picks the device: {@code auto}, {@code cpu} or {@code gpu} ({@link #device()}). */
    public static final String DEVICE_PROPERTY = "robustlab.device";
    /** The environment variable read when {@link #DEVICE_PROPERTY} is not set. */
    public static final String DEVICE_VARIABLE = "ROBUSTLAB_DEVICE";
    private static final Logger LOG = LoggerFactory.getLogger(MlEngine.class);
    private static volatile boolean configured;
    private static volatile Device device;

    private MlEngine() {
    }

    /**
     * The PyTorch engine, started on first use, with NNPACK convolutions off and oneDNN convolutions off unless
     * {@link #ONEDNN_PROPERTY} is on.
     */
    public static Engine engine() {
        Engine engine = Engine.getEngine(ENGINE_NAME);
        if (!configured) {
            configure();
        }
        return engine;
    }

    private static synchronized void configure() {
        if (configured) {
            return;
        }
        boolean wanted = "on".equals(System.getProperty(ONEDNN_PROPERTY));
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            // The switch finds libtorch through /proc; the fault was seen on x86-64 Linux only.
            LOG.warn("libtorch convolution backends left at libtorch's defaults on {}", System.getProperty("os.name"));
        } else if (ConvolutionBackends.set(Backend.ONEDNN, wanted) != wanted
                || ConvolutionBackends.set(Backend.NNPACK, false)) {
            throw new IllegalStateException("libtorch did not take oneDNN " + (wanted ? "on" : "off")
                    + " and NNPACK off");
        }
        configured = true;
    }

    /**
     * The device arrays are created on, from {@link #DEVICE_PROPERTY} (or the environment variable
     * {@code ROBUSTLAB_DEVICE}): {@code auto} (the default) takes the first GPU when the engine sees one and the CPU
     * otherwise; {@code cpu} and {@code gpu} force one ({@code gpu} fails when there is none).
     */
    public static Device device() {
        Device chosen = device;
        if (chosen == null) {
            String setting = System.getProperty(DEVICE_PROPERTY, System.getenv(DEVICE_VARIABLE));
            String wanted = setting == null ? "auto" : setting;
            int gpus = engine().getGpuCount();
            chosen = device(wanted, gpus);
            LOG.info("arrays on {} ({}={}, GPUs seen: {})", chosen, DEVICE_PROPERTY, wanted, gpus);
            device = chosen;
        }
        return chosen;
    }

    /** The device a setting gives when the engine sees {@code gpus} GPUs. */
    static Device device(String setting, int gpus) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalStateException(DEVICE_PROPERTY + " (" + DEVICE_VARIABLE + ") is gpu but the "
                            + "PyTorch engine sees no GPU: run the CUDA image (build profile cuda) on a GPU node, or "
                            + "set it to cpu or auto");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException(DEVICE_PROPERTY + " (" + DEVICE_VARIABLE + "): '" + setting
                        + "' is not one of auto, cpu, gpu");
        }
    }

    /** A new base manager on {@link #device()}; the caller owns it and closes it. */
    public static NDManager newBaseManager() {
        return engine().newBaseManager(device());
    }
}
