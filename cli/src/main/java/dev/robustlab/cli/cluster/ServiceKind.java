package dev.robustlab.cli.cluster;

import java.util.List;

/** The four services, where their packaged application lives and the JVM options each needs. */
public enum ServiceKind {
    GATEWAY("gateway", "-Xmx256m"),
    TRAINER("trainer-service", "-Xmx768m"),
    ATTACK("attack-service", "-Xmx512m"),
    EVAL("eval-service", "-Xmx256m");

    private final String module;
    private final String heap;

    ServiceKind(String module, String heap) {
        this.module = module;
        this.heap = heap;
    }

    /** Maven module and service name, e.g. {@code attack-service}. */
    public String module() {
        return module;
    }

    /** Whether the service runs DJL and needs the PyTorch engine's settings. */
    public boolean usesDjl() {
        return this == TRAINER || this == ATTACK;
    }

    /** JVM options for this service. */
    public List<String> jvmOptions() {
        return usesDjl()
                ? List.of(heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                        "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1")
                : List.of(heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }
}
