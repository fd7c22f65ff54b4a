package dev.robustlab.cli.cluster;

import dev.robustlab.localstack.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One running service process: its name, port and log file. It is a {@link ManagedProcess}, so it stops with
 * SIGTERM (Quarkus shuts down cleanly) and does not outlive the command that started it, even after a kill -9.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final int port;
    private final ManagedProcess process;

    private ServiceProcess(int port, ManagedProcess process) {
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code quarkus-run.jar} of {@code kind} from {@code root} with the given environment.
     *
     * @throws IllegalStateException when the packaged application is missing
     */
    static ServiceProcess start(ServiceKind kind, String name, int port, Path root, Path logDir,
                                Map<String, String> environment) throws IOException {
        Path jar = root.resolve(kind.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -DskipTests package");
        }
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(kind.jvmOptions());
        command.add("-jar");
        command.add(jar.toString());
        Map<String, String> env = new HashMap<>(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(port, ManagedProcess.start(name, command, logDir.resolve(name + ".log"), env,
                "TERM"));
    }

    public String name() {
        return process.name();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return process.logFile();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /q/health/ready} answers 200 now. */
    public boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail() {
        return process.tail();
    }

    /** SIGTERM, up to 15 s to shut down, then SIGKILL. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
