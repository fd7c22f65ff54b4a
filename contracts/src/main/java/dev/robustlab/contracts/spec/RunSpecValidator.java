package dev.robustlab.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks a run spec (after {@link RunSpec#withDefaults()}) and names every bad field with the reason, so that a
 * user fixes all of them in one go. An empty list means the spec can run.
 */
public final class RunSpecValidator {
    /** Datasets this build can train on. */
    public static final Set<String> DATASETS = Set.of(DatasetSpec.TOY_CIRCLES);
    /** Architectures this build can train. */
    public static final Set<String> ARCHITECTURES = Set.of(ModelSpec.MLP);
    /** Training objectives this build knows. */
    public static final Set<String> METHODS = Set.of(TrainingSpec.PGD_AT, TrainingSpec.STANDARD);
    private static final Set<String> SCHEDULES = Set.of(LearningRateSchedule.CONSTANT,
            LearningRateSchedule.PIECEWISE_CONSTANT, LearningRateSchedule.PIECEWISE_LINEAR);
    /** The norms a threat model may name. */
    private static final Set<String> NORMS = Set.of(ThreatModel.LINF);
    private static final int MAX_EPOCHS = 1000;
    private static final int MAX_GENERATED_EXAMPLES = 1_000_000;

    private final List<FieldError> errors = new ArrayList<>();

    private RunSpecValidator() {
    }

    /** All problems of {@code spec}, in field order; empty when it is valid. */
    public static List<FieldError> validate(RunSpec spec) {
        RunSpecValidator v = new RunSpecValidator();
        v.check(spec);
        return List.copyOf(v.errors);
    }

    private void check(RunSpec s) {
        DatasetSpec d = s.dataset();
        if (d.name() == null || d.name().isBlank()) {
            fail("dataset.name", "is required; one of " + DATASETS);
        } else if (!DATASETS.contains(d.name())) {
            fail("dataset.name", "unknown dataset '" + d.name() + "'; one of " + DATASETS);
        }
        range("dataset.trainSize", d.trainSize(), 1, MAX_GENERATED_EXAMPLES);
        range("dataset.testSize", d.testSize(), 1, MAX_GENERATED_EXAMPLES);

        oneOf("model.architecture", s.model().architecture(), ARCHITECTURES);
        range("model.hiddenUnits", s.model().hiddenUnits(), 1, 65_536);

        oneOf("training.method", s.training().method(), METHODS);
        PiatSpec p = s.training().piat();
        positive("training.piat.b", p.b());
        if (p.a() < 0) {
            fail("training.piat.a", "must be ≥ 0, got " + p.a());
        }
        if (!(p.alphaMax() >= 0 && p.alphaMax() < 1)) {
            fail("training.piat.alphaMax", "must be in [0, 1), got " + p.alphaMax());
        }

        range("epochs", s.epochs(), 1, MAX_EPOCHS);
        range("batchSize", s.batchSize(), 1, 65_536);

        OptimizerSpec o = s.optimizer();
        oneOf("optimizer.name", o.name(), Set.of(OptimizerSpec.SGD));
        positive("optimizer.learningRate", o.learningRate());
        if (!(o.momentum() >= 0 && o.momentum() < 1)) {
            fail("optimizer.momentum", "must be in [0, 1), got " + o.momentum());
        }
        if (!(o.weightDecay() >= 0)) {
            fail("optimizer.weightDecay", "must be ≥ 0, got " + o.weightDecay());
        }
        checkSchedule(s.lrSchedule());

        ThreatModel t = s.threatModel();
        oneOf("threatModel.norm", t.norm(), NORMS);
        if (!(t.epsilon() > 0 && t.epsilon() <= 1)) {
            fail("threatModel.epsilon", "must be in (0, 1] since inputs live in [0,1], got " + t.epsilon());
        }
        positive("threatModel.stepSize", t.stepSize());
        range("threatModel.steps", t.steps(), 1, 1000);

        checkPlan(s.evaluation(), s.epochs(), d, t.norm());
    }

    private void checkSchedule(LearningRateSchedule l) {
        if (!SCHEDULES.contains(l.type())) {
            fail("lrSchedule.type", "unknown schedule '" + l.type() + "'; one of " + SCHEDULES);
            return;
        }
        if (LearningRateSchedule.CONSTANT.equals(l.type())) {
            if (!l.knots().isEmpty()) {
                fail("lrSchedule.knots", "must be empty for a constant schedule");
            }
            return;
        }
        if (l.knots().isEmpty()) {
            fail("lrSchedule.knots", "needs at least one knot for a " + l.type() + " schedule");
        }
        double previous = -1;
        for (int i = 0; i < l.knots().size(); i++) {
            LearningRateSchedule.Knot k = l.knots().get(i);
            String at = "lrSchedule.knots[" + i + "]";
            if (k == null || k.epoch() == null || k.learningRate() == null) {
                fail(at, "needs both epoch and learningRate");
                continue;
            }
            if (k.epoch() <= previous) {
                fail(at + ".epoch", "must be greater than the previous knot's epoch (" + previous + ")");
            }
            previous = k.epoch();
            if (!(k.learningRate() >= 0)) {
                fail(at + ".learningRate", "must be ≥ 0, got " + k.learningRate());
            }
        }
    }

    private void checkPlan(EvaluationPlan e, Integer epochs, DatasetSpec dataset, String norm) {
        Integer testSize = dataset.testSize();
        OptionalInt classes = DatasetSpec.classes(dataset.name());
        if (e.attacks().isEmpty()) {
            fail("evaluation.attacks", "needs at least one attack; known: " + EvaluationPlan.KNOWN_ATTACKS);
        }
        for (int i = 0; i < e.attacks().size(); i++) {
            String a = e.attacks().get(i);
            if (a == null || !EvaluationPlan.KNOWN_ATTACKS.contains(a)) {
                fail("evaluation.attacks[" + i + "]", "unknown attack '" + a + "'; known: "
                        + EvaluationPlan.KNOWN_ATTACKS);
            } else if (e.attacks().indexOf(a) != i) {
                fail("evaluation.attacks[" + i + "]", "'" + a + "' is listed twice");
            } else if (classes.isPresent() && classes.getAsInt() < EvaluationPlan.minClasses(a)) {
                fail("evaluation.attacks[" + i + "]", "'" + a + "' needs at least " + EvaluationPlan.minClasses(a)
                        + " classes; dataset " + dataset.name() + " has " + classes.getAsInt());
            } else if (NORMS.contains(norm) && !EvaluationPlan.norms(a).contains(norm)) {
                fail("evaluation.attacks[" + i + "]", "'" + a + "' attacks in " + EvaluationPlan.norms(a)
                        + " only, the threat model's norm is " + norm);
            }
        }
        for (int i = 0; i < e.epochs().size(); i++) {
            Integer epoch = e.epochs().get(i);
            if (epoch == null || epoch < 1 || (epochs != null && epoch > epochs)) {
                fail("evaluation.epochs[" + i + "]", "must be an epoch between 1 and " + epochs + ", got " + epoch);
            }
        }
        range("evaluation.every", e.every(), 1, MAX_EPOCHS);
        if (testSize != null) {
            range("evaluation.examples", e.examples(), 1, testSize);
        }
        range("evaluation.shardSize", e.shardSize(), 1, 100_000);
        positive("evaluation.stepSize", e.stepSize());
    }

    private void oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            fail(field, "unknown value '" + value + "'; one of " + allowed);
        }
    }

    private void range(String field, Integer value, int min, int max) {
        if (value == null || value < min || value > max) {
            fail(field, "must be an integer between " + min + " and " + max + ", got " + value);
        }
    }

    private void positive(String field, Double value) {
        if (value == null || !(value > 0) || value.isInfinite()) {
            fail(field, "must be a positive number, got " + value);
        }
    }

    private void fail(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }
}
