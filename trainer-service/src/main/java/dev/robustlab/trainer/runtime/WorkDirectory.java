package dev.robustlab.trainer.runtime;

import dev.robustlab.service.health.HealthContributor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The trainer's scratch directory ({@code robustlab.work-dir}), created at start; not ready while unwritable. */
@ApplicationScoped
public class WorkDirectory implements HealthContributor {

    @Inject
    @ConfigProperty(name = "robustlab.work-dir")
    Path workDir;

    private volatile String problem = "not created yet";

    void onStart(@Observes StartupEvent event) {
        path();
    }

    /** The directory, created if missing. */
    public Path path() {
        Path dir = workDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            problem = Files.isWritable(dir) ? null : "work dir " + dir + " is not writable";
        } catch (IOException e) {
            problem = "cannot create work dir " + dir + ": " + e;
        }
        return dir;
    }

    @Override
    public String name() {
        return "work dir";
    }

    @Override
    public String readinessProblem() {
        return problem;
    }
}
