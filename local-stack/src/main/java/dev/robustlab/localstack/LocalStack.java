package dev.robustlab.localstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The infrastructure Robustlab needs, as local processes: a Kafka broker (KRaft, child JVM), an S3 endpoint
 * (S3Proxy, child JVM) and PostgreSQL (the machine's binaries). All state lives under one directory.
 * (API fixed; implementation in progress.)
 */
public final class LocalStack implements AutoCloseable {

    /** The parts a caller may ask for. */
    public enum Component { KAFKA, S3, POSTGRES }

    private LocalStack() {
    }

    /** Starts the given components with their state under {@code stateDir}, creates the topics and the bucket. */
    public static LocalStack start(Path stateDir, Set<Component> components) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public String kafkaBootstrapServers() {
        throw new UnsupportedOperationException();
    }

    public String s3Endpoint() {
        throw new UnsupportedOperationException();
    }

    public String s3AccessKey() {
        throw new UnsupportedOperationException();
    }

    public String s3SecretKey() {
        throw new UnsupportedOperationException();
    }

    public String s3Bucket() {
        throw new UnsupportedOperationException();
    }

    public String jdbcUrl() {
        throw new UnsupportedOperationException();
    }

    public String dbUser() {
        throw new UnsupportedOperationException();
    }

    public String dbPassword() {
        throw new UnsupportedOperationException();
    }

    /** Environment variables (docs/CONVENTIONS.md) that point a service process at this stack. */
    public Map<String, String> serviceEnvironment() {
        throw new UnsupportedOperationException();
    }

    /** The same settings as Quarkus configuration keys, for {@code @QuarkusTest}s. */
    public Map<String, String> quarkusConfig() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
