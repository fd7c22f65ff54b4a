package dev.robustlab.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The four services as local processes: one gateway, one trainer, {@code attackReplicas} attack workers in one
 * consumer group, and one eval-service. Every process gets its own port, instance id, work directory and log file
 * under the state directory; {@link #close()} stops them in reverse order.
 */
public final class Cluster implements AutoCloseable {
    private final List<ServiceProcess> processes;

    private Cluster(List<ServiceProcess> processes) {
        this.processes = processes;
    }

    /**
     * Starts the services and waits until each reports ready.
     *
     * @param root           repository root (where the packaged services are)
     * @param stateDir       runtime state: logs/ and work/ go there
     * @param infrastructure environment that points at Kafka, S3 and PostgreSQL
     * @param attackReplicas number of attack-service processes
     * @param progress       receives one line per event worth showing
     * @param timeout        how long to wait for readiness
     */
    public static Cluster start(Path root, Path stateDir, Map<String, String> infrastructure, int attackReplicas,
                                Consumer<String> progress, Duration timeout) throws IOException {
        List<ServiceProcess> started = new ArrayList<>();
        Cluster cluster = new Cluster(started);
        try {
            int evalPort = freePort();
            Map<String, String> common = new HashMap<>(infrastructure);
            common.put("OPT_OUT_TRACKING", "true");
            common.put("DJL_OFFLINE", "true");
            common.put("OMP_WAIT_POLICY", "PASSIVE");
            common.put("DJL_CACHE_DIR", stateDir.resolve("djl-cache").toString());
            common.put("ENGINE_CACHE_DIR", stateDir.resolve("djl-cache").toString());
            common.put("ROBUSTLAB_EVAL_URL", "http://127.0.0.1:" + evalPort);
            Path logs = stateDir.resolve("logs");
            // The trainer and eval-service first: they take longest to be ready (DJL engine, migrations).
            started.add(startOne(ServiceKind.TRAINER, "trainer-service", freePort(), root, stateDir, logs, common));
            started.add(startOne(ServiceKind.EVAL, "eval-service", evalPort, root, stateDir, logs, common));
            for (int i = 1; i <= attackReplicas; i++) {
                started.add(startOne(ServiceKind.ATTACK, "attack-service-" + i, freePort(), root, stateDir, logs,
                        common));
            }
            started.add(startOne(ServiceKind.GATEWAY, "gateway", freePort(), root, stateDir, logs, common));
            cluster.awaitReady(progress, timeout);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static ServiceProcess startOne(ServiceKind kind, String name, int port, Path root, Path stateDir,
                                           Path logs, Map<String, String> common) throws IOException {
        Map<String, String> env = new HashMap<>(common);
        env.put("ROBUSTLAB_INSTANCE_ID", name);
        env.put("ROBUSTLAB_WORK_DIR", stateDir.resolve("work").resolve(name).toString());
        return ServiceProcess.start(kind, name, port, root, logs, env);
    }

    private void awaitReady(Consumer<String> progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        List<ServiceProcess> waiting = new ArrayList<>(processes);
        while (!waiting.isEmpty()) {
            for (ServiceProcess p : List.copyOf(waiting)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited during start-up; its log " + p.log()
                            + " ends with:\n" + p.logTail());
                }
                if (p.isReady()) {
                    waiting.remove(p);
                    progress.accept(String.format("%s ready on port %d (%.1f s)", p.name(), p.port(),
                            (System.nanoTime() - start) / 1e9));
                }
            }
            if (System.nanoTime() > deadline) {
                ServiceProcess p = waiting.get(0);
                throw new IllegalStateException(p.name() + " not ready after " + timeout.toSeconds() + " s; its log "
                        + p.log() + " ends with:\n" + p.logTail());
            }
            sleep(250);
        }
    }

    /** The running processes, in start order. */
    public List<ServiceProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    /** The first process whose name starts with {@code prefix}. */
    public ServiceProcess process(String prefix) {
        return processes.stream().filter(p -> p.name().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service named " + prefix + "*"));
    }

    public String gatewayUrl() {
        return process("gateway").baseUrl();
    }

    public String evalUrl() {
        return process("eval-service").baseUrl();
    }

    /** Stops every service at once (each gets SIGTERM, then SIGKILL after 15 s) and waits for all of them. */
    @Override
    public void close() {
        // A thread each: the common pool has one thread on a 2-core machine, which would stop them in turn.
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess p : processes) {
            Thread t = new Thread(p::close, "stop-" + p.name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the services", e);
        }
    }
}
