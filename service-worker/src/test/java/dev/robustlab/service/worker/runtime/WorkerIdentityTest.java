package dev.robustlab.service.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {

    @Test
    void theConfiguredIdWins() {
        assertEquals("trainer-1", new WorkerIdentity(Optional.of("trainer-1")).id());
    }

    @Test
    void withoutOneTheHostAndPidNameTheWorker() {
        String pid = "-" + ProcessHandle.current().pid();
        assertTrue(new WorkerIdentity(Optional.empty()).id().endsWith(pid));
        assertTrue(new WorkerIdentity(Optional.of(" ")).id().endsWith(pid));
    }
}
