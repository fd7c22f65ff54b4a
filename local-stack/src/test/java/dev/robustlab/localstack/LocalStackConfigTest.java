package dev.robustlab.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.localstack.LocalStack.Component;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs no running process: configuration, environment names, a missing distribution. */
class LocalStackConfigTest {

    @Test
    void turnsConfigurationKeysIntoQuarkusEnvironmentVariables() {
        LocalStack stack = LocalStack.attach(Map.of(
                LocalStack.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1234",
                LocalStack.S3_ACCESS_KEY, "key"));
        assertEquals(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1234", "ROBUSTLAB_S3_ACCESS_KEY", "key"),
                stack.serviceEnvironment());
        assertEquals("127.0.0.1:1234", stack.kafkaBootstrapServers());
        assertEquals(Set.of(Component.KAFKA), stack.components());
        IllegalStateException noDatabase = assertThrows(IllegalStateException.class, stack::jdbcUrl);
        assertTrue(noDatabase.getMessage().contains("no postgres"), noDatabase.getMessage());
        stack.close();
    }

    @Test
    void saysHowToBuildTheDistributionWhenItIsMissing(@TempDir Path state) {
        String previous = System.getProperty(Distribution.PROPERTY);
        System.setProperty(Distribution.PROPERTY, state.resolve("no-such-dist").toString());
        try {
            LocalStackException missing = assertThrows(LocalStackException.class,
                    () -> LocalStack.start(state, EnumSet.of(Component.KAFKA)));
            assertTrue(missing.getMessage().contains("./mvnw -pl local-stack-dist package"), missing.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(Distribution.PROPERTY);
            } else {
                System.setProperty(Distribution.PROPERTY, previous);
            }
        }
    }

    @Test
    void emptyStackStartsNothing(@TempDir Path state) {
        try (LocalStack stack = LocalStack.start(state, EnumSet.noneOf(Component.class))) {
            assertTrue(stack.components().isEmpty());
            assertTrue(stack.processHandles().isEmpty());
        }
    }
}
