package dev.robustlab.eval.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ListedMigrationsTest {

    @Test
    void theListNamesExactlyTheMigrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", ListedMigrations.EVAL_LOCATION))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(names, ListedMigrations.EVAL.stream().sorted().toList());
        }
    }

    @Test
    void flywayFindsVersionedMigrationsByPrefixAndSuffix() {
        ListedMigrations provider = new ListedMigrations(ListedMigrations.EVAL_LOCATION, ListedMigrations.EVAL);
        assertEquals(1, provider.getResources("V", new String[] {".sql"}).size());
        assertEquals(0, provider.getResources("R", new String[] {".sql"}).size());
    }
}
