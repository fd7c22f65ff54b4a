package dev.robustlab.ml.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns libtorch's optional CPU convolution backends, oneDNN (MKL-DNN) and NNPACK, on or off in this process.
 *
 * <p>They are {@code torch.backends.mkldnn.enabled} and {@code torch.backends.nnpack} of Python, that is
 * {@code at::globalContext().setUserEnabledMkldnn / setUserEnabledNNPACK} of libtorch, which DJL does not expose: the
 * switches call the exported C++ functions of the libtorch_cpu.so that DJL loaded ({@code this} is the first argument
 * of a member function in the x86-64 System V ABI) and read the state back. With both off, ATen computes float32
 * convolutions and their gradients with its own im2col + GEMM kernels ({@code slow_conv2d}), the ones it always uses
 * for float64.
 *
 * <p>Why Robustlab turns oneDNN off: the oneDNN 3.7.1 inside libtorch 2.7.1 computed the input gradient of a
 * convolution wrongly on the CPUs this project runs on: at random with its AVX-512 kernels (on an AMD EPYC: 1 to 40 of
 * 40 identical backward passes differed, by up to 0.6 or NaN), and on every pass with its AVX2 kernels (0.037 from the
 * float64 gradient on a CI machine, 0.07 from Python torch's through a TorchScript BatchNorm model here).
 * {@code ConvolutionGradientTest} pins the right behaviour. NNPACK goes with it: with oneDNN off libtorch tries NNPACK
 * for every convolution, and where NNPACK cannot start (here: "Unsupported hardware") it logs a warning each time;
 * off, the same kernels run on every machine.
 */
final class ConvolutionBackends {
    private static final String LIBRARY = "libtorch_cpu.so";
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";

    /** A backend and the mangled names of its setter and getter on {@code at::Context}. */
    enum Backend {
        ONEDNN("_ZN2at7Context20setUserEnabledMkldnnEb", "_ZNK2at7Context17userEnabledMkldnnEv"),
        NNPACK("_ZN2at7Context20setUserEnabledNNPACKEb", "_ZNK2at7Context17userEnabledNNPACKEv");

        private final String setter;
        private final String getter;

        Backend(String setter, String getter) {
            this.setter = setter;
            this.getter = getter;
        }
    }

    private ConvolutionBackends() {
    }

    /**
     * Sets a backend's switch and reads it back.
     *
     * @param backend the backend
     * @param enabled whether convolutions may use it
     * @return the state libtorch reports afterwards
     * @throws IllegalStateException when libtorch_cpu.so is not loaded in this process
     */
    static boolean set(Backend backend, boolean enabled) {
        NativeLibrary library = NativeLibrary.getInstance(loadedLibrary().toString());
        Pointer context = library.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
        library.getFunction(backend.setter).invokeVoid(new Object[] {context, enabled});
        // A C++ bool comes back in the low byte of the return register only.
        return (library.getFunction(backend.getter).invokeInt(new Object[] {context}) & 0xff) != 0;
    }

    /** The libtorch_cpu.so mapped into this process (DJL loads it from its cache directory). */
    private static Path loadedLibrary() {
        return mappedLibrary().orElseThrow(() -> new IllegalStateException(LIBRARY + " is not loaded in this process; "
                + "start the PyTorch engine (MlEngine.engine()) first"));
    }

    private static Optional<Path> mappedLibrary() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(line -> line.split("\\s+", 6))
                    .filter(fields -> fields.length == 6 && fields[5].endsWith("/" + LIBRARY))
                    .map(fields -> Path.of(fields[5]))
                    .findFirst();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps to find " + LIBRARY + ": " + e.getMessage(),
                    e);
        }
    }
}
