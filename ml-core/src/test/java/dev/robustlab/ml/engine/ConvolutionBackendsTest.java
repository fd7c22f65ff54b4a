package dev.robustlab.ml.engine;

import dev.robustlab.ml.engine.ConvolutionBackends.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The switches reach libtorch's global context: what they set, libtorch reports back. */
class ConvolutionBackendsTest {
    @ParameterizedTest
    @EnumSource(Backend.class)
    void libtorchReportsWhatTheSwitchSets(Backend backend) {
        MlEngine.engine();
        try {
            assertTrue(ConvolutionBackends.set(backend, true), backend + " on");
            assertFalse(ConvolutionBackends.set(backend, false), backend + " off");
        } finally {
            ConvolutionBackends.set(backend, backend == Backend.ONEDNN
                    && "on".equals(System.getProperty(MlEngine.ONEDNN_PROPERTY)));
        }
    }
}
