package dev.robustlab.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The jars laid out by the {@code local-stack-dist} module: {@code kafka/*.jar} (the broker and its logging) and
 * {@code s3proxy/s3proxy.jar}. Found through the system property {@code robustlab.dist}, the environment variable
 * {@code ROBUSTLAB_DIST}, or by searching upward from the working directory for {@code local-stack-dist/target/dist}.
 */
final class Distribution {

    static final String PROPERTY = "robustlab.dist";
    static final String ENV = "ROBUSTLAB_DIST";
    private static final Path RELATIVE = Path.of("local-stack-dist", "target", "dist");
    private static final String HOW_TO_BUILD =
            "build it from the project root with: ./mvnw -pl local-stack-dist package";

    private final Path root;

    private Distribution(Path root) {
        this.root = root;
    }

    static Distribution locate() {
        String configured = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
            source = "environment variable " + ENV;
        }
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new LocalStackException("the local stack distribution " + root + " (from " + source
                        + ") does not exist; " + HOW_TO_BUILD);
            }
            return new Distribution(root);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return new Distribution(candidate);
            }
        }
        throw new LocalStackException("cannot find the local stack distribution (neither " + PROPERTY + " nor "
                + ENV + " is set, and no " + RELATIVE + " above " + Path.of("").toAbsolutePath() + "); "
                + HOW_TO_BUILD);
    }

    /** The broker's classpath, as a {@code java -cp} wildcard. */
    String kafkaClasspath() {
        Path dir = root.resolve("kafka");
        boolean hasBroker;
        try (Stream<Path> files = Files.list(dir)) {
            hasBroker = files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            hasBroker = false;
        }
        if (!hasBroker) {
            throw new LocalStackException("no Kafka broker jars (kafka_2.13-*.jar) in " + dir + "; " + HOW_TO_BUILD);
        }
        return dir.resolve("*").toString();
    }

    Path s3ProxyJar() {
        Path jar = root.resolve("s3proxy").resolve("s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new LocalStackException("no S3Proxy jar at " + jar + "; " + HOW_TO_BUILD);
        }
        return jar;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
