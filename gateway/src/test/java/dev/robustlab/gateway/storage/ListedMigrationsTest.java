package dev.robustlab.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustlab.service.database.ListedMigrations;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListedMigrationsTest {

    @Test
    void theListNamesExactlyTheMigrationFiles() throws IOException {
        assertEquals(ListedMigrations.filesIn(Path.of("src/main/resources"), GatewaySchema.SCHEMA),
                GatewaySchema.SCHEMA.migrations().stream().sorted().toList());
    }
}
