package dev.robustlab.ml.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The switch reaches libtorch's global context: what it sets, libtorch reports back. */
class OneDnnSwitchTest {
    @Test
    void libtorchReportsWhatTheSwitchSets() {
        MlEngine.engine();
        try {
            assertTrue(OneDnnSwitch.set(true), "oneDNN on");
            assertFalse(OneDnnSwitch.set(false), "oneDNN off");
        } finally {
            OneDnnSwitch.set("on".equals(System.getProperty(MlEngine.ONEDNN_PROPERTY)));
        }
    }
}
