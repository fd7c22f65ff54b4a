package dev.robustlab.service.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;

class ListedMigrationsTest {
    private static final DatabaseSchema SAMPLE = DatabaseSchema.of("sample", List.of("V1__a.sql", "V2__b.sql"),
            ListedMigrationsTest.class);

    @Test
    void aSchemaNamesItsFolderAndPool() {
        assertEquals("db/migration/sample", SAMPLE.migrationLocation());
        assertEquals("sample-db", SAMPLE.poolName());
    }

    @Test
    void filesInListsTheMigrationFolderSorted() throws IOException {
        assertEquals(List.of("V1__a.sql", "V2__b.sql"), ListedMigrations.filesIn(Path.of("src/test/resources"),
                SAMPLE));
    }

    @Test
    void flywayFindsVersionedMigrationsByPrefixAndSuffix() {
        ListedMigrations provider = new ListedMigrations(SAMPLE);
        assertEquals(2, provider.getResources("V", new String[] {".sql"}).size());
        assertEquals(0, provider.getResources("R", new String[] {".sql"}).size());
    }

    @Test
    void aListedFileIsReadThroughTheSchemasClassLoader() throws IOException {
        LoadableResource resource = new ListedMigrations(SAMPLE).getResource("db/migration/sample/V2__b.sql");
        assertNotNull(resource);
        try (BufferedReader in = new BufferedReader(resource.read())) {
            assertEquals(List.of("ALTER TABLE sample.a ADD COLUMN b text;"), in.lines().toList());
        }
        assertNull(new ListedMigrations(SAMPLE).getResource("db/migration/sample/V3__c.sql"));
    }
}
