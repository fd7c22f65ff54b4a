package dev.robustlab.ml.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns libtorch's use of oneDNN (MKL-DNN) for CPU float32 convolutions on or off, in this process.
 *
 * <p>It is {@code torch.backends.mkldnn.enabled} of Python, that is {@code at::globalContext().setUserEnabledMkldnn}
 * of libtorch, which DJL does not expose: the switch calls the two exported C++ functions of the libtorch_cpu.so that
 * DJL loaded ({@code this} is the first argument of a member function in the x86-64 System V ABI). With it off, ATen
 * computes convolutions and their gradients with its own im2col + GEMM kernels ({@code slow_conv2d}), the ones it
 * already uses for float64.
 *
 * <p>Why Robustlab turns it off: the oneDNN 3.7.1 inside libtorch 2.7.1 computed the input gradient of a convolution
 * wrongly at random on the CPUs this project runs on, with its AVX-512 kernels (on an AMD EPYC: 1 to 40 of 40
 * identical backward passes differed, by up to 0.6 or NaN) and, on another machine of the same kind, with its AVX2
 * kernels (0.037 from the float64 gradient). {@code ConvolutionGradientTest} pins the right behaviour.
 */
final class OneDnnSwitch {
    private static final String LIBRARY = "libtorch_cpu.so";
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";

    private OneDnnSwitch() {
    }

    /**
     * Sets the switch and reads it back.
     *
     * @param enabled whether convolutions may use oneDNN
     * @return the state libtorch reports afterwards
     * @throws IllegalStateException when libtorch_cpu.so is not loaded in this process or lacks the functions
     */
    static boolean set(boolean enabled) {
        NativeLibrary library = NativeLibrary.getInstance(loadedLibrary().toString());
        Pointer context = library.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
        library.getFunction(SET_ENABLED).invokeVoid(new Object[] {context, enabled});
        // A C++ bool comes back in the low byte of the return register only.
        Function isEnabled = library.getFunction(IS_ENABLED);
        return (isEnabled.invokeInt(new Object[] {context}) & 0xff) != 0;
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
                    .map(fields -> fields[5])
                    .map(Path::of)
                    .findFirst();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps to find " + LIBRARY + ": " + e.getMessage(), e);
        }
    }
}
