package dev.robustlab.localstack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An S3 endpoint: S3Proxy with the filesystem provider (objects are files under {@code s3/data}), as a child JVM.
 * It requires AWS signatures with fixed keys (the MinIO SDK's multipart uploads fail against an anonymous
 * S3Proxy) and is provisioned with the bucket {@value #BUCKET}.
 */
final class S3Server implements Service {

    static final String ACCESS_KEY = "robustlab";
    static final String SECRET_KEY = "robustlab-secret";
    static final String BUCKET = "robustlab-checkpoints";
    static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ManagedProcess process;
    private final String endpoint;

    private S3Server(ManagedProcess process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3Server start(Distribution distribution, Path s3Dir, Path logsDir, int port) {
        Path jar = distribution.s3ProxyJar();
        Path dataDir = StateFiles.createDirectories(s3Dir.resolve("data"));
        Path properties = s3Dir.resolve("s3proxy.properties");
        String endpoint = "http://" + FreePorts.LOOPBACK + ":" + port;
        StateFiles.write(properties, String.join("\n",
                "# Written by dev.robustlab.localstack.S3Server on every start.",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir,
                ""));
        ManagedProcess proxy = ManagedProcess.start("s3proxy",
                List.of(LocalStack.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.awt.headless=true", "-jar", jar.toString(), "--properties", properties.toString()),
                logsDir.resolve("s3proxy.log"), Map.of(), "TERM");
        S3Server s3 = new S3Server(proxy, endpoint);
        String whatToDo = "read the log above; delete " + s3Dir + " to start from an empty object store; if "
                + "the jar is broken, rebuild it with ./mvnw -pl local-stack-dist package";
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            proxy.awaitListening(port, deadline, whatToDo);
            s3.awaitHttp(port, deadline, whatToDo);
            s3.createBucket(whatToDo);
            return s3;
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /**
     * Any HTTP answer (S3Proxy says 403 to an unsigned request) means the server is up. A bare socket rather than
     * an HTTP client: the JDK's clients log through the platform logger, which a JBoss LogManager on the caller's
     * classpath complains about when it is not installed.
     */
    private void awaitHttp(int port, long deadlineNanos, String whatToDo) {
        while (true) {
            String answer;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(FreePorts.LOOPBACK, port), 2000);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + FreePorts.LOOPBACK + ":" + port
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] head = socket.getInputStream().readNBytes(12);
                answer = new String(head, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                answer = e.toString();
            }
            if (answer.startsWith("HTTP/")) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadlineNanos) {
                throw process.failure("gave no HTTP answer at " + endpoint + " (" + answer + ")", whatToDo);
            }
            ManagedProcess.pause(Duration.ofMillis(200));
        }
    }

    private void createBucket(String whatToDo) {
        // Closing the client matters: its OkHttp threads would otherwise keep a command-line JVM alive for a minute.
        try (MinioClient client = MinioClient.builder().endpoint(endpoint).region(REGION)
                .credentials(ACCESS_KEY, SECRET_KEY).build()) {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
            }
        } catch (Exception e) {
            throw process.failure("cannot create the bucket " + BUCKET + ": " + e, whatToDo);
        }
    }

    @Override
    public LocalStack.Component component() {
        return LocalStack.Component.S3;
    }

    @Override
    public String address() {
        return endpoint;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(LocalStack.S3_ENDPOINT, endpoint);
        config.put(LocalStack.S3_ACCESS_KEY, ACCESS_KEY);
        config.put(LocalStack.S3_SECRET_KEY, SECRET_KEY);
        config.put(LocalStack.S3_BUCKET, BUCKET);
        config.put(LocalStack.S3_REGION, REGION);
        return config;
    }

    @Override
    public List<ProcessHandle> processHandles() {
        return process.handles();
    }

    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
