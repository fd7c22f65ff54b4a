package dev.robustlab.eval.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustlab.service.database.ListedMigrations;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListedMigrationsTest {

    @Test
    void theListNamesExactlyTheMigrationFiles() throws IOException {
        assertEquals(ListedMigrations.filesIn(Path.of("src/main/resources"), EvalSchema.SCHEMA),
                EvalSchema.SCHEMA.migrations().stream().sorted().toList());
    }

    @Test
    void flywayFindsVersionedMigrationsByPrefixAndSuffix() {
        ListedMigrations provider = new ListedMigrations(EvalSchema.SCHEMA);
        assertEquals(1, provider.getResources("V", new String[] {".sql"}).size());
        assertEquals(0, provider.getResources("R", new String[] {".sql"}).size());
    }
}
