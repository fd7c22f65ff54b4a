package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.loss.LogitLoss;

import java.util.Set;

/** The training objective a {@link TrainingSpec} names. */
public final class Objectives {
    /** Method ids this build trains with. */
    public static final Set<String> KNOWN = Set.of(TrainingSpec.STANDARD, TrainingSpec.PGD_AT);

    private Objectives() {
    }

    /**
     * @param training   method (PIAT is applied around it by the run, not here)
     * @param threat     the adversary of the training attack: norm, ε, step size, steps
     * @throws IllegalArgumentException on an unknown method or norm
     */
    public static TrainingObjective forSpec(TrainingSpec training, ThreatModel threat) {
        String method = training.method();
        if (TrainingSpec.STANDARD.equals(method)) {
            return new StandardObjective();
        }
        if (TrainingSpec.PGD_AT.equals(method)) {
            if (!Attacks.NORMS.contains(threat.norm())) {
                throw new IllegalArgumentException("unknown norm '" + threat.norm() + "'; known: " + Attacks.NORMS);
            }
            return new PgdAtObjective(Pgd.builder().setEpsilon(threat.epsilon()).setStepSize(threat.stepSize())
                    .optNorm(Norm.of(threat.norm())).optSteps(threat.steps()).optLoss(LogitLoss.crossEntropy())
                    .build());
        }
        throw new IllegalArgumentException("unknown training method '" + method + "'; known: " + KNOWN);
    }
}
