package dev.robustlab.trainer.health;

import dev.robustlab.service.health.HealthContributor;
import dev.robustlab.trainer.config.TrainerSettings;
import dev.robustlab.trainer.training.RunProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Liveness: DOWN only when the run in progress finished no epoch for {@code robustlab.trainer.stall-timeout}.
 * A long run that keeps finishing epochs stays UP, however long it takes; an idle trainer is UP. Readiness is not
 * affected: a busy trainer still consumes (the connector pauses its partitions while the run trains).
 */
@ApplicationScoped
public class TrainingProgressHealth implements HealthContributor {

    @Inject
    RunProgress progress;

    @Inject
    TrainerSettings settings;

    @Override
    public String name() {
        return "training progress";
    }

    @Override
    public String livenessProblem() {
        return progress.stallProblem(settings.stallTimeout());
    }
}
