package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.Pgd;
import dev.robustlab.ml.loss.LogitLoss;

import java.util.Map;
import java.util.Set;

/** The training objective a {@link TrainingSpec} names, built from its method id and hyper-parameters. */
public final class Objectives {
    /** Method ids this build trains with. */
    public static final Set<String> KNOWN = Set.of(TrainingSpec.STANDARD, TrainingSpec.PGD_AT,
            TrainingMethods.ALP, TrainingMethods.TRADES, TrainingMethods.MART,
            TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
            TrainingMethods.NMSE, TrainingMethods.ST, TrainingMethods.ST_JS, TrainingMethods.ST_L2,
            TrainingMethods.CFA);

    private Objectives() {
    }

    /**
     * @param method     a {@link TrainingMethods} id
     * @param parameters the method's hyper-parameters by name ({@link TrainingMethods#defaults}); a missing one
     *                   takes its default
     * @param threat     the adversary of the training attack: norm, ε, step size, steps
     * @throws IllegalArgumentException on an unknown method, parameter or norm
     */
    public static TrainingObjective create(String method, Map<String, Double> parameters, ThreatModel threat) {
        Map<String, Double> p = TrainingMethods.withDefaults(method, parameters);
        if (!TrainingMethods.defaults(method).keySet().containsAll(p.keySet())) {
            throw new IllegalArgumentException("training method '" + method + "' takes the parameters "
                    + TrainingMethods.defaults(method).keySet() + ", got " + p.keySet());
        }
        return switch (method) {
            case TrainingMethods.STANDARD -> new StandardObjective();
            case TrainingMethods.PGD_AT -> new PgdAtObjective(crossEntropyPgd(threat));
            case TrainingMethods.ALP -> AlpObjective.builder().setAttack(crossEntropyPgd(threat))
                    .optLambda(value(p, method, "lambda")).build();
            case TrainingMethods.TRADES -> TradesObjective.builder().setAttack(tradesAttack(threat))
                    .optBeta(value(p, method, "beta")).build();
            case TrainingMethods.MART -> MartObjective.builder().setAttack(crossEntropyPgd(threat))
                    .optBeta(value(p, method, "beta")).build();
            case TrainingMethods.MAIL_AT -> MailObjective.builder(MailObjective.Base.AT)
                    .setAttack(crossEntropyPgd(threat))
                    .optBias(value(p, method, "bias")).optSlope(value(p, method, "slope")).build();
            case TrainingMethods.MAIL_TRADES -> MailObjective.builder(MailObjective.Base.TRADES)
                    .setAttack(tradesAttack(threat)).optBeta(value(p, method, "beta"))
                    .optBias(value(p, method, "bias")).optSlope(value(p, method, "slope")).build();
            case TrainingMethods.MAIL_MART -> MailObjective.builder(MailObjective.Base.MART)
                    .setAttack(crossEntropyPgd(threat)).optBeta(value(p, method, "beta"))
                    .optBias(value(p, method, "bias")).optSlope(value(p, method, "slope")).build();
            case TrainingMethods.NMSE -> NmseObjective.builder().setAttack(crossEntropyPgd(threat))
                    .optMu(value(p, method, "mu")).optCrossEntropyOnClean(flag(p, method, "ce_on_clean")).build();
            case TrainingMethods.ST, TrainingMethods.ST_JS, TrainingMethods.ST_L2 -> squeezeTraining(method, p, threat);
            case TrainingMethods.CFA -> cfa(p, threat);
            default -> throw new IllegalArgumentException("training method '" + method
                    + "' is not implemented in this build; implemented: " + KNOWN);
        };
    }

    /** {@code st}, {@code st-js}, {@code st-l2}: Squeeze Training with β, in l∞ with the threat's ε, α, K. */
    private static SqueezeTrainingObjective squeezeTraining(String method, Map<String, Double> p, ThreatModel threat) {
        requireLinf(method, threat);
        return new SqueezeTrainingObjective(SqueezeTrainingObjective.Regularizer.of(method), p.get("beta"),
                threat.epsilon(), threat.stepSize(), threat.steps());
    }

    /** {@code cfa}: CFA on TRADES, in l∞ with the threat's ε, α, K. */
    private static CfaObjective cfa(Map<String, Double> p, ThreatModel threat) {
        requireLinf(TrainingMethods.CFA, threat);
        return CfaObjective.builder().setEpsilon(threat.epsilon()).setStepSize(threat.stepSize())
                .setSteps(threat.steps()).optBeta(p.get("beta")).optLambda1(p.get("lambda1"))
                .optLambda2(p.get("lambda2")).optDecay(p.get("decay"))
                .optStartEpoch(wholeNumber(TrainingMethods.CFA, "start_epoch", p.get("start_epoch")))
                .optThreshold(p.get("threshold")).build();
    }

    private static void requireLinf(String method, ThreatModel threat) {
        if (!ThreatModel.LINF.equals(threat.norm())) {
            throw new IllegalArgumentException("training method '" + method + "' needs threatModel.norm "
                    + ThreatModel.LINF + ", got '" + threat.norm() + "'");
        }
    }

    private static int wholeNumber(String method, String name, double value) {
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("training method '" + method + "': parameter '" + name
                    + "' must be a whole number, got " + value);
        }
        return (int) value;
    }

    /** The papers' training attack: PGD on the cross-entropy from a uniform random start, in the threat's norm. */
    static Pgd crossEntropyPgd(ThreatModel threat) {
        if (!Attacks.NORMS.contains(threat.norm())) {
            throw new IllegalArgumentException("unknown norm '" + threat.norm() + "'; known: " + Attacks.NORMS);
        }
        return Pgd.builder().setEpsilon(threat.epsilon()).setStepSize(threat.stepSize())
                .optNorm(Norm.of(threat.norm())).optSteps(threat.steps()).optLoss(LogitLoss.crossEntropy())
                .build();
    }

    /** TRADES's training attack: the KL ascent from x + 0.001·N(0, I), with the threat's norm, ε, step size, steps. */
    static TradesAttack tradesAttack(ThreatModel threat) {
        if (!Attacks.NORMS.contains(threat.norm())) {
            throw new IllegalArgumentException("unknown norm '" + threat.norm() + "'; known: " + Attacks.NORMS);
        }
        return TradesAttack.builder().setEpsilon(threat.epsilon()).setStepSize(threat.stepSize())
                .optNorm(Norm.of(threat.norm())).optSteps(threat.steps()).build();
    }

    /** The parameter {@code name} of {@code parameters} (defaults applied). @throws IllegalArgumentException if null */
    private static double value(Map<String, Double> parameters, String method, String name) {
        Double value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("training method '" + method + "': parameter '" + name
                    + "' must be a number, got null");
        }
        return value;
    }

    /** A 0/1 parameter as a switch. @throws IllegalArgumentException unless it is 0 or 1 */
    private static boolean flag(Map<String, Double> parameters, String method, String name) {
        return Hyperparameters.flag(method, name, value(parameters, method, name));
    }
}
