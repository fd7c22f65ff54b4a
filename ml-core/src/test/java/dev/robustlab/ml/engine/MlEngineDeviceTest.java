package dev.robustlab.ml.engine;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device setting: auto follows the GPUs the engine sees, cpu and gpu force one, anything else is refused. */
class MlEngineDeviceTest {
    @Test
    void autoTakesTheGpuWhenThereIsOne() {
        assertEquals(Device.cpu(), MlEngine.device("auto", 0));
        assertEquals(Device.gpu(), MlEngine.device("auto", 2));
    }

    @Test
    void cpuAndGpuForceTheirDevice() {
        assertEquals(Device.cpu(), MlEngine.device(" CPU ", 1));
        assertEquals(Device.gpu(), MlEngine.device("gpu", 1));
    }

    @Test
    void gpuWithoutOneSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MlEngine.device("gpu", 0));
        assertTrue(e.getMessage().contains("robustlab.device") && e.getMessage().contains("sees no GPU")
                && e.getMessage().contains("cuda"), e.getMessage());
    }

    @Test
    void anUnknownSettingIsRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MlEngine.device("tpu", 0));
        assertEquals("robustlab.device (ROBUSTLAB_DEVICE): 'tpu' is not one of auto, cpu, gpu", e.getMessage());
    }

    @Test
    void theProcessDeviceFollowsTheSettingAndTheEngine() {
        String setting = System.getProperty(MlEngine.DEVICE_PROPERTY, System.getenv(MlEngine.DEVICE_VARIABLE));
        assertEquals(MlEngine.device(setting == null ? "auto" : setting, MlEngine.engine().getGpuCount()),
                MlEngine.device());
    }
}
