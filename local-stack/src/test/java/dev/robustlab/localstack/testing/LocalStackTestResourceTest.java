package dev.robustlab.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustlab.localstack.LocalStack;
import dev.robustlab.localstack.LocalStack.Component;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One stack per component set and JVM, shared by test classes and by copies of the class in other loaders. */
class LocalStackTestResourceTest {

    @Test
    void sharesOneStackPerComponentSetEvenAcrossClassLoaders() throws Exception {
        LocalStackTestResource first = new LocalStackTestResource();
        first.init(Map.of(LocalStackTestResource.COMPONENTS, "postgres"));
        Map<String, String> config = first.start();
        first.stop(); // leaves the stack running for the next test class

        LocalStackTestResource second = new LocalStackTestResource();
        second.init(Map.of(LocalStackTestResource.COMPONENTS, " Postgres "));
        assertEquals(config, second.start());
        LocalStack current = LocalStackTestResource.current();
        assertSame(current, LocalStackTestResource.stack(EnumSet.of(Component.POSTGRES)));
        try (Connection connection = DriverManager.getConnection(current.jdbcUrl(), current.dbUser(),
                current.dbPassword())) {
            assertEquals("robustlab", connection.getCatalog());
        }

        // Quarkus can load this class again in a test class loader: that copy must attach, not start a second stack.
        URL classes = LocalStackTestResource.class.getProtectionDomain().getCodeSource().getLocation();
        URL quarkusApi = QuarkusTestResourceLifecycleManager.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes, quarkusApi},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> copy = isolated.loadClass(LocalStackTestResource.class.getName());
            assertNotSame(LocalStackTestResource.class, copy);
            Object resource = copy.getConstructor().newInstance();
            copy.getMethod("init", Map.class).invoke(resource, Map.of(LocalStackTestResource.COMPONENTS, "postgres"));
            assertEquals(config, copy.getMethod("start").invoke(resource));
            Object attached = copy.getMethod("current").invoke(null);
            assertEquals(current.jdbcUrl(), attached.getClass().getMethod("jdbcUrl").invoke(attached));
        }
    }

    @Test
    void rejectsAnUnknownComponent() {
        LocalStackTestResource resource = new LocalStackTestResource();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resource.init(Map.of(LocalStackTestResource.COMPONENTS, "kafka,redis")));
        assertEquals("unknown local stack component 'redis' in components=kafka,redis; use kafka, s3, postgres",
                e.getMessage());
        assertEquals(EnumSet.of(Component.KAFKA, Component.S3),
                LocalStackTestResource.parseComponents("s3, KAFKA"));
    }
}
