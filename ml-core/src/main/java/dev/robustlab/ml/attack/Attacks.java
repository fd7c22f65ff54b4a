package dev.robustlab.ml.attack;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.attack.autoattack.AutoAttack;
import dev.robustlab.ml.loss.LogitLoss;

import java.util.List;

/**
 * The evaluation attacks by their stable ids ({@link EvaluationPlan#KNOWN_ATTACKS}), each at radius ε of a norm
 * ({@code linf} or {@code l2}) with the paper's or the library's defaults:
 * <ul>
 * <li>{@code pgd-20}: {@link Pgd}, 20 steps of α from a random start on the cross-entropy, l∞ or l2 (PGD-l2 steps
 *     along g/‖g‖₂); {@code cw-inf}: the same on the CW margin, l∞ only;</li>
 * <li>{@code fgsm}: {@link Fgsm}, one step of ε; {@code i-fgsm}: {@link IFgsm}, 20 steps of α;
 *     {@code mi-fgsm}: {@link MiFgsm}, 20 steps of α, decay 1; all l∞ only;</li>
 * <li>{@code apgd-ce}, {@code apgd-dlr}: {@link Apgd}, 100 iterations, 1 restart; {@code apgd-t}:
 *     {@link ApgdTargeted}, 9 targets of 100 iterations (APGD picks its own step size: α is not used);</li>
 * <li>{@code fab-t}: {@link Fab} targeted, 9 targets of 100 iterations, 1 restart (α is not used);</li>
 * <li>{@code square}: {@link Square}, 5000 queries, p_init 0.8;</li>
 * <li>{@code cw-l2}: {@link CwL2}, 9 binary-search steps of at most 1000 Adam steps, l2 only (α is not used);</li>
 * <li>{@code autoattack}: {@link AutoAttack} standard (APGD-CE, APGD-T, FAB-T, Square) in the norm; APGD-T on a
 *     model of fewer than 4 classes is reported as skipped;</li>
 * <li>{@code autoattack-plus}: {@link AutoAttack} plus (APGD-CE and APGD-DLR with 5 restarts, FAB with 5 restarts,
 *     Square, APGD-T, FAB-T); the components a model of few classes cannot take are reported as skipped.</li>
 * </ul>
 * Which norms an id runs in is {@link EvaluationPlan#norms}; other combinations are refused. {@code apgd-dlr} needs
 * a model of at least 3 classes and {@code apgd-t} of 4 ({@link EvaluationPlan#minClasses}); the run spec validator
 * refuses them on datasets with fewer.
 */
public final class Attacks {
    /** Ids {@link #evaluation} knows. */
    public static final List<String> KNOWN = EvaluationPlan.KNOWN_ATTACKS;
    /** Norms the evaluation attacks run in: {@code linf} and {@code l2}. */
    public static final List<String> NORMS = List.of(Norm.LINF.id(), Norm.L2.id());
    private static final int EVALUATION_STEPS = 20;

    private Attacks() {
    }

    /**
     * The attack {@code id} at radius ε of {@code norm} and step size α (used by the fixed-step attacks
     * {@code pgd-20}, {@code cw-inf}, {@code i-fgsm}, {@code mi-fgsm}); see the class comment for each id.
     *
     * @throws IllegalArgumentException on an unknown id or norm, an id that does not run in that norm, or bad ε, α
     */
    public static Attack evaluation(String id, String norm, double epsilon, double stepSize) {
        if (!NORMS.contains(norm)) {
            throw new IllegalArgumentException("unknown norm '" + norm + "'; known: " + NORMS);
        }
        if (id == null || !KNOWN.contains(id)) {
            throw new IllegalArgumentException("unknown attack '" + id + "'; known: " + KNOWN);
        }
        if (!EvaluationPlan.norms(id).contains(norm)) {
            throw new IllegalArgumentException("attack '" + id + "' runs in " + EvaluationPlan.norms(id)
                    + " only, not in " + norm + "; choose that norm or another attack");
        }
        // α is checked for every id, so that a plan's bad step size is refused whichever attacks it lists
        Arguments.positive("stepSize", stepSize);
        Norm ball = Norm.of(norm);
        return switch (id) {
            case EvaluationPlan.PGD_20 -> pgd20(id, ball, epsilon, stepSize, LogitLoss.crossEntropy());
            case EvaluationPlan.CW_INF -> pgd20(id, ball, epsilon, stepSize, LogitLoss.cwMargin());
            case EvaluationPlan.FGSM -> Fgsm.builder().setEpsilon(epsilon).optId(id).build();
            case EvaluationPlan.I_FGSM -> IFgsm.builder().setEpsilon(epsilon).optStepSize(stepSize)
                    .optSteps(EVALUATION_STEPS).optId(id).build();
            case EvaluationPlan.MI_FGSM -> MiFgsm.builder().setEpsilon(epsilon).optStepSize(stepSize)
                    .optSteps(EVALUATION_STEPS).optId(id).build();
            case EvaluationPlan.APGD_CE -> Apgd.builder().setEpsilon(epsilon).optNorm(ball).optId(id).build();
            case EvaluationPlan.APGD_DLR -> Apgd.builder().setEpsilon(epsilon).optNorm(ball).optDlr().optId(id)
                    .build();
            case EvaluationPlan.APGD_T -> ApgdTargeted.builder().setEpsilon(epsilon).optNorm(ball).optId(id).build();
            case EvaluationPlan.FAB_T -> Fab.builder().setEpsilon(epsilon).optNorm(ball).optTargeted(true).optId(id)
                    .build();
            case EvaluationPlan.SQUARE -> Square.builder().setEpsilon(epsilon).optNorm(ball).optId(id).build();
            case EvaluationPlan.CW_L2 -> CwL2.builder().setEpsilon(epsilon).optId(id).build();
            case EvaluationPlan.AUTOATTACK -> AutoAttack.builder().setEpsilon(epsilon).optNorm(ball).build();
            case EvaluationPlan.AUTOATTACK_PLUS -> AutoAttack.builder().setEpsilon(epsilon).optNorm(ball)
                    .optVersion(AutoAttack.PLUS).build();
            default -> throw new IllegalStateException("known attack '" + id + "' is not mapped");
        };
    }

    private static Attack pgd20(String id, Norm norm, double epsilon, double stepSize, LogitLoss loss) {
        return Pgd.builder().setEpsilon(epsilon).setStepSize(stepSize).optSteps(EVALUATION_STEPS).optLoss(loss)
                .optNorm(norm).optId(id).build();
    }
}
