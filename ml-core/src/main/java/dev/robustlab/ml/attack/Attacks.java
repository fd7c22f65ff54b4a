package dev.robustlab.ml.attack;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.ml.loss.LogitLoss;

import java.util.List;

/** The evaluation attacks by their stable ids. */
public final class Attacks {
    /** Ids {@link #evaluation} knows. */
    public static final List<String> KNOWN = EvaluationPlan.KNOWN_ATTACKS;
    /** Norms this build attacks in. */
    public static final List<String> NORMS = List.of(ThreatModel.LINF);
    private static final int EVALUATION_STEPS = 20;

    private Attacks() {
    }

    /**
     * The attack {@code id} at radius ε and step size α: {@code pgd-20} is {@link Pgd} with 20 steps on the
     * cross-entropy, {@code cw-inf} is {@link Pgd} with 20 steps on the CW margin; both start at a random point.
     *
     * @throws IllegalArgumentException on an unknown id or norm, or bad ε, α
     */
    public static Attack evaluation(String id, String norm, double epsilon, double stepSize) {
        if (!NORMS.contains(norm)) {
            throw new IllegalArgumentException("unknown norm '" + norm + "'; known: " + NORMS);
        }
        Pgd.Builder builder = Pgd.builder().setEpsilon(epsilon).setStepSize(stepSize).optSteps(EVALUATION_STEPS)
                .optId(id);
        if (EvaluationPlan.PGD_20.equals(id)) {
            return builder.optLoss(LogitLoss.crossEntropy()).build();
        }
        if (EvaluationPlan.CW_INF.equals(id)) {
            return builder.optLoss(LogitLoss.cwMargin()).build();
        }
        throw new IllegalArgumentException("unknown attack '" + id + "'; known: " + KNOWN);
    }
}
