package dev.robustlab.trainer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointKeysTest {
    private static final String RUN = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    @Test
    void epochsAreZeroPaddedUnderTheRun() {
        assertEquals("runs/" + RUN + "/epoch-001/model.params", CheckpointKeys.parameters(RUN, 1));
        assertEquals("runs/" + RUN + "/epoch-001/manifest.json", CheckpointKeys.manifest(RUN, 1));
        assertEquals("runs/" + RUN + "/epoch-042/model.params", CheckpointKeys.parameters(RUN, 42));
        assertEquals("runs/" + RUN + "/epoch-1000/manifest.json", CheckpointKeys.manifest(RUN, 1000));
    }

    @Test
    void epochsAreOneBased() {
        assertThrows(IllegalArgumentException.class, () -> CheckpointKeys.parameters(RUN, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../other", "a/b", "run id", ".hidden", "a..b"})
    void runIdsThatWouldEscapeTheirPrefixAreRefused(String runId) {
        assertThrows(IllegalArgumentException.class, () -> CheckpointKeys.runPrefix(runId));
    }

    @Test
    void nullRunIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CheckpointKeys.runPrefix(null));
    }
}
