package dev.robustlab.localstack.testing;

import dev.robustlab.localstack.LocalStack;
import dev.robustlab.localstack.LocalStack.Component;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A Quarkus test resource backed by a {@link LocalStack}: one stack per test JVM and component set, started by the
 * first test class that needs it and shared by every later one; a JVM shutdown hook stops it, so {@link #stop()}
 * does nothing. {@link #start()} returns the stack's {@link LocalStack#quarkusConfig()}.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = LocalStackTestResource.class, initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
 * class CheckpointStoreTest {
 *     @Test
 *     void readsBack() {
 *         LocalStack stack = LocalStackTestResource.current();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Init argument {@value #COMPONENTS}: a comma list of {@code kafka}, {@code s3}, {@code postgres} (default:
 * all). State lives under the system property {@value #STATE_PROPERTY} (default {@code
 * target/robustlab-test-state}), in a new subdirectory per stack, logs included.
 *
 * <p>Quarkus may load this class more than once in one JVM (its test class loaders), and a static field is then
 * not shared. So the stacks are also registered JVM-wide, as system properties holding their configuration, and a
 * copy of this class that finds a stack registered by another copy attaches to it instead of starting a second
 * broker.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument naming the components. */
    public static final String COMPONENTS = "components";
    /** System property naming the directory under which the stacks keep their state. */
    public static final String STATE_PROPERTY = "robustlab.test.state";

    private static final String DEFAULT_STATE = "target/robustlab-test-state";
    private static final String REGISTRY_PREFIX = "robustlab.localstack.test-stack.";
    private static final String CURRENT = REGISTRY_PREFIX + "current";
    /**
     * A string literal is interned JVM-wide, so this lock is the same object in every class loader's copy of this
     * class: two copies never start two stacks at once.
     */
    private static final Object LOCK = "dev.robustlab.localstack.testing.LocalStackTestResource.lock";
    private static final Map<String, LocalStack> OWN = new ConcurrentHashMap<>();

    private Set<Component> components = EnumSet.allOf(Component.class);

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.get(COMPONENTS);
        if (names != null && !names.isBlank()) {
            components = parseComponents(names);
        }
    }

    @Override
    public Map<String, String> start() {
        return stack(components).quarkusConfig();
    }

    /** Nothing: later test classes reuse the stack, and the JVM shutdown hook stops it. */
    @Override
    public void stop() {
    }

    /**
     * The stack with exactly these components, started now if this JVM has none yet. It becomes {@link
     * #current()}.
     */
    public static LocalStack stack(Set<Component> components) {
        String key = key(components);
        synchronized (LOCK) {
            LocalStack stack = OWN.get(key);
            if (stack == null) {
                String registered = System.getProperty(REGISTRY_PREFIX + key);
                if (registered != null) {
                    stack = LocalStack.attach(decode(registered));
                } else {
                    stack = LocalStack.start(newStateDir(key), components);
                    System.setProperty(REGISTRY_PREFIX + key, encode(stack.quarkusConfig()));
                }
                OWN.put(key, stack);
            }
            System.setProperty(CURRENT, key);
            return stack;
        }
    }

    /** The stack most recently handed to a test in this JVM (by {@link #start()} or {@link #stack}). */
    public static LocalStack current() {
        synchronized (LOCK) {
            String key = System.getProperty(CURRENT);
            if (key == null) {
                throw new IllegalStateException("no local stack has been started in this JVM; annotate the test "
                        + "with @WithTestResource(LocalStackTestResource.class) or call LocalStackTestResource.stack");
            }
            return stack(parseComponents(key));
        }
    }

    /** Parses {@code kafka,s3,postgres} (case and spaces ignored). */
    public static Set<Component> parseComponents(String names) {
        Set<Component> parsed = EnumSet.noneOf(Component.class);
        for (String name : names.split(",")) {
            String id = name.trim();
            if (id.isEmpty()) {
                continue;
            }
            parsed.add(Arrays.stream(Component.values())
                    .filter(c -> c.id().equalsIgnoreCase(id))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown local stack component '" + id
                            + "' in " + COMPONENTS + "=" + names + "; use kafka, s3, postgres")));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(COMPONENTS + "=" + names + " names no component");
        }
        return parsed;
    }

    private static String key(Set<Component> components) {
        return EnumSet.copyOf(components).stream().map(Component::id).collect(Collectors.joining(","));
    }

    private static Path newStateDir(String key) {
        Path base = Path.of(System.getProperty(STATE_PROPERTY, DEFAULT_STATE)).toAbsolutePath();
        try {
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base, key.replace(',', '-') + "-");
            // A temporary directory is private (0700); PostgreSQL, run as its own user when tests run as root,
            // must be able to pass through it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory under " + base, e);
        }
    }

    private static String encode(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            config.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return config;
    }
}
