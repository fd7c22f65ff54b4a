package dev.robustlab.service.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * Hands Flyway a fixed list of migration files instead of letting it scan the class path: Quarkus' class loaders
 * do not list directories inside the application jar, so scanning finds nothing in a packaged service. Each
 * service keeps a unit test that checks, with {@link #filesIn}, that its {@link DatabaseSchema#migrations()} names
 * exactly the files under {@code src/main/resources/db/migration/<schema>}.
 */
public final class ListedMigrations implements ResourceProvider {
    private final Location location;
    private final List<String> files;
    private final ClassLoader classLoader;

    /** The migrations of {@code schema}, read through its class loader. */
    public ListedMigrations(DatabaseSchema schema) {
        this.location = new Location("classpath:" + schema.migrationLocation());
        this.files = schema.migrations();
        this.classLoader = schema.classLoader();
    }

    @Override
    public LoadableResource getResource(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return files.contains(file) ? resource(file) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return files.stream()
                .filter(f -> f.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(f::endsWith))
                .map(this::resource)
                .toList();
    }

    /**
     * The names of the files in {@code schema}'s migration folder under {@code resourceRoot} (a source tree such
     * as {@code src/main/resources}), sorted: what {@link DatabaseSchema#migrations()} must list.
     */
    public static List<String> filesIn(Path resourceRoot, DatabaseSchema schema) throws IOException {
        try (Stream<Path> files = Files.list(resourceRoot.resolve(schema.migrationLocation()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private LoadableResource resource(String file) {
        return new ClassPathResource(location, location.getRootPath() + "/" + file, classLoader,
                StandardCharsets.UTF_8);
    }
}
