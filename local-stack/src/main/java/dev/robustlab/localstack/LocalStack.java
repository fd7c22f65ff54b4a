package dev.robustlab.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The infrastructure Robustlab needs, as local processes: a Kafka broker (KRaft, child JVM), an S3 endpoint
 * (S3Proxy, child JVM) and PostgreSQL (the machine's binaries). All state lives under one directory:
 * {@code kafka/}, {@code s3/}, {@code postgres/} and {@code logs/} (one log file per process).
 *
 * <p>Every component listens on a free port of 127.0.0.1 and nothing else. The components start in parallel;
 * {@link #start} returns once each is ready and provisioned: the topics of
 * {@link dev.robustlab.contracts.Topics#ALL} and their dead-letter topics exist, the bucket {@code
 * robustlab-checkpoints} exists, the database and user {@code robustlab} exist.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(Path.of("target/stack"), EnumSet.allOf(LocalStack.Component.class))) {
 *     processBuilder.environment().putAll(stack.serviceEnvironment());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops exactly the processes this stack started, through their own handles. A shutdown hook
 * closes the stack if its owner forgets ({@link #withoutShutdownHook()} removes it), and each process has a
 * guardian that stops it should this JVM die without running its hooks.
 */
public final class LocalStack implements AutoCloseable {

    /** The parts a caller may ask for. */
    public enum Component { KAFKA, S3, POSTGRES;

        /** The lower-case name used in logs and in {@code components=kafka,s3}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Configuration keys of docs/CONVENTIONS.md; {@link #serviceEnvironment()} turns them into variables. */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String S3_ENDPOINT = "robustlab.s3.endpoint";
    public static final String S3_ACCESS_KEY = "robustlab.s3.access-key";
    public static final String S3_SECRET_KEY = "robustlab.s3.secret-key";
    public static final String S3_BUCKET = "robustlab.s3.bucket";
    public static final String S3_REGION = "robustlab.s3.region";
    public static final String DB_URL = "robustlab.db.url";
    public static final String DB_USER = "robustlab.db.user";
    public static final String DB_PASSWORD = "robustlab.db.password";

    private static final Map<Component, List<String>> KEYS = Map.of(
            Component.KAFKA, List.of(KAFKA_BOOTSTRAP_SERVERS),
            Component.S3, List.of(S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, S3_REGION),
            Component.POSTGRES, List.of(DB_URL, DB_USER, DB_PASSWORD));

    /** What Kafka, Jetty and PostgreSQL all write when a port is in use. */
    static final String PORT_TAKEN = "Address already in use";
    private static final int MAX_ATTEMPTS = 3;

    private final List<Service> services;
    private final Map<String, String> config;
    private final Map<Component, Duration> startupTimes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LocalStack(List<Service> services, Map<String, String> config, Map<Component, Duration> startupTimes) {
        this.services = List.copyOf(services);
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        Map<Component, Duration> times = new EnumMap<>(Component.class);
        times.putAll(startupTimes);
        this.startupTimes = Collections.unmodifiableMap(times);
        this.shutdownHook = this.services.isEmpty() ? null : new Thread(this::close, "local-stack-shutdown");
    }

    /** Starts the given components with their state under {@code stateDir}, creates the topics and the bucket. */
    public static LocalStack start(Path stateDir, Set<Component> components) {
        Objects.requireNonNull(stateDir, "stateDir");
        Set<Component> wanted = components.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(components);
        Path state = stateDir.toAbsolutePath().normalize();
        Path logs = StateFiles.createDirectories(state.resolve("logs"));
        // Fail before starting anything when the jars are missing.
        Distribution distribution = null;
        if (wanted.contains(Component.KAFKA) || wanted.contains(Component.S3)) {
            distribution = Distribution.locate();
        }
        // [0] Kafka clients, [1] the KRaft controller, [2] S3, [3] PostgreSQL.
        int[] ports = FreePorts.allocate(4);
        long begin = System.nanoTime();

        Map<Component, CompletableFuture<Service>> starting = new EnumMap<>(Component.class);
        Map<Component, Duration> startupTimes = new EnumMap<>(Component.class);
        for (Component component : wanted) {
            Distribution dist = distribution;
            CompletableFuture<Service> future = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    Service service = startWithRetry(component, dist, state, logs, ports);
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    synchronized (startupTimes) {
                        startupTimes.put(component, took);
                    }
                    log("%s ready on %s (%s)", component.id(), service.address(), seconds(took));
                    future.complete(service);
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            }, "local-stack-start-" + component.id());
            starter.setDaemon(true);
            starter.start();
            starting.put(component, future);
        }

        List<Service> started = new ArrayList<>();
        LocalStackException failure = null;
        for (Map.Entry<Component, CompletableFuture<Service>> entry : starting.entrySet()) {
            try {
                started.add(entry.getValue().join());
            } catch (CompletionException e) {
                LocalStackException cause = asLocalStackException(entry.getKey(), e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            log("start failed, stopping what did start; logs are in %s", logs);
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            throw failure;
        }

        Map<String, String> config = new LinkedHashMap<>();
        for (Service service : started) {
            config.putAll(orderedConfig(service.component(), service.config()));
        }
        LocalStack stack;
        synchronized (startupTimes) {
            stack = new LocalStack(started, config, startupTimes);
        }
        if (stack.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
            log("stack ready in %s, state in %s", seconds(Duration.ofNanos(System.nanoTime() - begin)), state);
        }
        return stack;
    }

    /**
     * Starts one component. A port is free when chosen but is bound only seconds later, by another process; if
     * something else took it meanwhile, the component is started again on new ports.
     */
    private static Service startWithRetry(Component component, Distribution dist, Path state, Path logs,
                                          int[] firstPorts) {
        int[] ports = firstPorts;
        for (int attempt = 1; ; attempt++) {
            try {
                return switch (component) {
                    case KAFKA -> KafkaBroker.start(dist, state.resolve("kafka"), logs, ports[0], ports[1]);
                    case S3 -> S3Server.start(dist, state.resolve("s3"), logs, ports[2]);
                    case POSTGRES -> PostgresServer.start(state.resolve("postgres"), logs, ports[3]);
                };
            } catch (LocalStackException e) {
                if (attempt == MAX_ATTEMPTS || !String.valueOf(e.getMessage()).contains(PORT_TAKEN)) {
                    throw e;
                }
                log("%s: a port was taken before it could bind, starting again on other ports", component.id());
                ports = FreePorts.allocate(ports.length);
            }
        }
    }

    /**
     * A stack that someone else started and owns, described by its {@link #quarkusConfig()}: the same accessors,
     * but {@link #close()} stops nothing. Lets a second class loader in a test JVM (or another process) reach a
     * running stack.
     */
    public static LocalStack attach(Map<String, String> quarkusConfig) {
        return new LocalStack(List.of(), quarkusConfig, Map.of());
    }

    /**
     * Removes the JVM shutdown hook that would close this stack, and returns this stack. For a caller that closes
     * the stack from a shutdown hook of its own, after stopping what uses it: JVM hooks run concurrently, so the
     * stack's own hook could stop the broker while services are still draining. Should the JVM then exit without
     * {@link #close()}, the guardians still stop every process.
     */
    public LocalStack withoutShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook runs anyway
            }
        }
        return this;
    }

    public String kafkaBootstrapServers() {
        return require(KAFKA_BOOTSTRAP_SERVERS, Component.KAFKA);
    }

    public String s3Endpoint() {
        return require(S3_ENDPOINT, Component.S3);
    }

    public String s3AccessKey() {
        return require(S3_ACCESS_KEY, Component.S3);
    }

    public String s3SecretKey() {
        return require(S3_SECRET_KEY, Component.S3);
    }

    public String s3Bucket() {
        return require(S3_BUCKET, Component.S3);
    }

    public String jdbcUrl() {
        return require(DB_URL, Component.POSTGRES);
    }

    public String dbUser() {
        return require(DB_USER, Component.POSTGRES);
    }

    public String dbPassword() {
        return require(DB_PASSWORD, Component.POSTGRES);
    }

    /** Environment variables (docs/CONVENTIONS.md) that point a service process at this stack. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        // Quarkus's rule for environment variables: upper case, every non-alphanumeric character an underscore.
        config.forEach((key, value) -> env.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return Collections.unmodifiableMap(env);
    }

    /** The same settings as Quarkus configuration keys, for {@code @QuarkusTest}s. */
    public Map<String, String> quarkusConfig() {
        return config;
    }

    /** The components this stack has. */
    public Set<Component> components() {
        Set<Component> components = EnumSet.noneOf(Component.class);
        KEYS.forEach((component, keys) -> {
            if (config.containsKey(keys.get(0))) {
                components.add(component);
            }
        });
        return components;
    }

    /** How long each component took to become ready (empty for an attached stack). */
    Map<Component, Duration> startupTimes() {
        return startupTimes;
    }

    /** Every process this stack started (children, their descendants, guardians), for leak checks. */
    List<ProcessHandle> processHandles() {
        List<ProcessHandle> handles = new ArrayList<>();
        services.forEach(service -> handles.addAll(service.processHandles()));
        return handles;
    }

    /** Stops every process this stack started, in reverse order of the components. A second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; closing now is what the hook would do
            }
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            Service service = services.get(i);
            long t0 = System.nanoTime();
            try {
                service.close();
                log("%s stopped (%s)", service.component().id(), seconds(Duration.ofNanos(System.nanoTime() - t0)));
            } catch (RuntimeException e) {
                log("%s did not stop cleanly: %s", service.component().id(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "LocalStack" + config;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void log(String format, Object... args) {
        System.err.println("[local-stack] " + String.format(Locale.ROOT, format, args));
    }

    private String require(String key, Component component) {
        String value = config.get(key);
        if (value == null) {
            throw new IllegalStateException("this local stack has no " + component.id() + " (components: "
                    + components() + ")");
        }
        return value;
    }

    private static Map<String, String> orderedConfig(Component component, Map<String, String> config) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : KEYS.get(component)) {
            ordered.put(key, Objects.requireNonNull(config.get(key), key));
        }
        return ordered;
    }

    private static LocalStackException asLocalStackException(Component component, Throwable cause) {
        if (cause instanceof LocalStackException e) {
            return e;
        }
        return new LocalStackException(component.id() + ": cannot start: " + cause, cause);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
