package dev.robustlab.service.health;

/**
 * A service-specific health check, e.g. "the database answers" or "the training loop made progress recently".
 * Declare it as an {@code @ApplicationScoped} bean; the health endpoints pick it up.
 */
public interface HealthContributor {

    /** Name shown in the health report. */
    String name();

    /** Whether the service can take work now; null means healthy. Otherwise the reason, for a person. */
    default String readinessProblem() {
        return null;
    }

    /** Whether the process works at all (a failing liveness probe restarts it); null means alive. */
    default String livenessProblem() {
        return null;
    }
}
