package dev.robustlab.gateway.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * Hands Flyway a fixed list of migration files instead of letting it scan the class path: Quarkus' class loaders
 * do not list directories inside the application jar, so scanning finds nothing in a packaged service. A unit test
 * checks that {@link #GATEWAY} names exactly the files under
 * {@code src/main/resources/db/migration/gateway}.
 */
final class ListedMigrations implements ResourceProvider {
    /** The migrations of schema {@code gateway}, oldest first. Add every new file here. */
    static final List<String> GATEWAY = List.of("V1__runs.sql");
    static final String GATEWAY_LOCATION = "db/migration/gateway";

    private final Location location;
    private final List<String> files;
    private final ClassLoader classLoader;

    ListedMigrations(String location, List<String> files) {
        this.location = new Location("classpath:" + location);
        this.files = files;
        this.classLoader = ListedMigrations.class.getClassLoader();
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

    private LoadableResource resource(String file) {
        return new ClassPathResource(location, location.getRootPath() + "/" + file, classLoader,
                StandardCharsets.UTF_8);
    }
}
