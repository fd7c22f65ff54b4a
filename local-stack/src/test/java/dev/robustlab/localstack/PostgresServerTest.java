package dev.robustlab.localstack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** How PostgreSQL reports a port someone else holds: the text {@link LocalStack} retries on. */
class PostgresServerTest {

    @Test
    void reportsATakenPortInItsFailure() throws Exception {
        Path base = Path.of(System.getProperty("robustlab.test.state", "target/robustlab-test-state"));
        Path state = Files.createDirectories(base).resolve("postgres-port-taken-" + System.nanoTime());
        Path logs = Files.createDirectories(state.resolve("logs"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(FreePorts.LOOPBACK))) {
            LocalStackException e = assertThrows(LocalStackException.class,
                    () -> PostgresServer.start(state.resolve("postgres"), logs, taken.getLocalPort()));
            assertTrue(e.getMessage().contains(LocalStack.PORT_TAKEN), e.getMessage());
            assertTrue(e.getMessage().contains("What to do:"), e.getMessage());
        }
    }
}
