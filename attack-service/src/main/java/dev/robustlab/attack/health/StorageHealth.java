package dev.robustlab.attack.health;

import dev.robustlab.service.health.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness: DOWN while the current job waits for S3 to come back (between retries of a failed fetch), UP again
 * after the next successful fetch or when the job is given up. Liveness is not affected: restarting the worker
 * would not bring S3 back.
 */
@ApplicationScoped
public class StorageHealth implements HealthContributor {

    private volatile String problem;

    /** S3 failed; the job is retried. */
    public void unavailable(String reason) {
        problem = reason;
    }

    /** S3 answered, or the job that waited for it was given up. */
    public void clear() {
        problem = null;
    }

    @Override
    public String name() {
        return "checkpoint storage";
    }

    @Override
    public String readinessProblem() {
        return problem;
    }
}
