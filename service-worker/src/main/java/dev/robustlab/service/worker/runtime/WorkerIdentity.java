package dev.robustlab.service.worker.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The name this worker signs its events with: {@code robustlab.instance-id}, else {@code <host>-<pid>}. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    @Inject
    public WorkerIdentity(@ConfigProperty(name = "robustlab.instance-id") Optional<String> instanceId) {
        this.id = instanceId.filter(s -> !s.isBlank()).orElseGet(WorkerIdentity::hostAndPid);
    }

    public String id() {
        return id;
    }

    static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
