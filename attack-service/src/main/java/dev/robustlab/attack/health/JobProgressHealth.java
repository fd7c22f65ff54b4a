package dev.robustlab.attack.health;

import dev.robustlab.attack.config.AttackSettings;
import dev.robustlab.attack.evaluation.JobProgress;
import dev.robustlab.service.health.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Liveness: DOWN only when the job in progress has run (or been retried) longer than
 * {@code robustlab.attack.stall-timeout}. An idle worker, and a worker on a long but live job, are UP.
 */
@ApplicationScoped
public class JobProgressHealth implements HealthContributor {

    @Inject
    JobProgress progress;

    @Inject
    AttackSettings settings;

    @Override
    public String name() {
        return "attack job progress";
    }

    @Override
    public String livenessProblem() {
        return progress.stallProblem(settings.stallTimeout());
    }
}
