package dev.robustlab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;

class RunExecutorRulesTest {

    @Test
    void specGetsItsDefaults() {
        RunSpec spec = RunExecutor.checkedSpec(new RunSpec(null, new DatasetSpec("toy-circles", null, null, null),
                null, null, 3, null, null, null, null, null, null));
        assertEquals(3, spec.epochs());
        assertEquals("mlp", spec.model().architecture());
    }

    @Test
    void invalidSpecNamesEveryBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunExecutor.checkedSpec(
                new RunSpec(null, new DatasetSpec("nope", null, null, null), null, null, 0, null, null, null, null,
                        null, null)));
        assertTrue(e.getMessage().contains("dataset.name") && e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void missingSpecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RunExecutor.checkedSpec(null));
    }
}
