package dev.robustlab.contracts.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks a run spec (after {@link RunSpec#withDefaults()}) and names every bad field with the reason, so that a
 * user fixes all of them in one go. An empty list means the spec can run.
 */
public final class RunSpecValidator {
    /** Datasets this build can train on. */
    public static final Set<String> DATASETS = Set.copyOf(DatasetSpec.NAMES);
    /** Architectures this build can train. */
    public static final Set<String> ARCHITECTURES = Set.copyOf(ModelSpec.ARCHITECTURES);
    /** Training methods this build knows: every id of {@link TrainingMethods}. */
    public static final Set<String> METHODS = Set.copyOf(TrainingMethods.IDS);
    /** Weight perturbation types. */
    public static final Set<String> WEIGHT_PERTURBATIONS = Set.copyOf(WeightPerturbationSpec.TYPES);
    private static final Set<String> SCHEDULES = Set.of(LearningRateSchedule.CONSTANT,
            LearningRateSchedule.PIECEWISE_CONSTANT, LearningRateSchedule.PIECEWISE_LINEAR);
    /** The norms a threat model may name. */
    private static final Set<String> NORMS = Set.of(ThreatModel.LINF);
    private static final int MAX_EPOCHS = 1000;
    private static final int MAX_GENERATED_EXAMPLES = 1_000_000;
    private static final int MAX_WRN_DEPTH = 202;
    private static final int MAX_WRN_WIDTH = 32;
    private static final int MAX_PERTURBATION_STEPS = 100;
    private static final List<Integer> RGB_32 = List.of(3, 32, 32);

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
        Optional<DatasetSpec.Facts> facts = DatasetSpec.facts(d.name());
        if (d.name() == null || d.name().isBlank()) {
            fail("dataset.name", "is required; one of " + DatasetSpec.NAMES);
        } else if (facts.isEmpty()) {
            fail("dataset.name", "unknown dataset '" + d.name() + "'; one of " + DatasetSpec.NAMES);
        }
        checkSizes(d, facts.orElse(null));

        checkModel(s.model(), d.name(), facts.orElse(null));
        checkTraining(s.training(), d.name(), facts.orElse(null));

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

    private void checkSizes(DatasetSpec d, DatasetSpec.Facts facts) {
        if (facts == null || facts.generated()) {
            range("dataset.trainSize", d.trainSize(), 1, MAX_GENERATED_EXAMPLES);
            range("dataset.testSize", d.testSize(), 1, MAX_GENERATED_EXAMPLES);
            return;
        }
        if (d.trainSize() == null || d.trainSize() < 1 || d.trainSize() > facts.trainExamples()) {
            fail("dataset.trainSize", "must be between 1 and " + facts.trainExamples() + " (the examples of "
                    + d.name() + "'s train split), got " + d.trainSize());
        }
        if (d.testSize() == null || d.testSize() < 1 || d.testSize() > facts.testExamples()) {
            fail("dataset.testSize", "must be between 1 and " + facts.testExamples() + " (the examples of "
                    + d.name() + "'s test split), got " + d.testSize());
        }
    }

    private void checkModel(ModelSpec m, String dataset, DatasetSpec.Facts facts) {
        String a = m.architecture();
        if (a == null || !ARCHITECTURES.contains(a)) {
            fail("model.architecture", "unknown value '" + a + "'; one of " + ModelSpec.ARCHITECTURES);
        } else if (facts != null && ModelSpec.SMALL_CNN.equals(a) && !facts.image()) {
            fail("model.architecture", "small-cnn takes images (channels, height, width); dataset " + dataset
                    + " has examples of shape " + facts.shapeText() + ": use mlp");
        } else if (facts != null && ModelSpec.FOR_32X32.contains(a) && !facts.exampleShape().equals(RGB_32)) {
            fail("model.architecture", a + " takes 3×32×32 images; dataset " + dataset + " has examples of shape "
                    + facts.shapeText() + ": use it on cifar10, cifar100 or svhn"
                    + (facts.image() ? ", or small-cnn here" : ", or mlp here"));
        }
        if (ModelSpec.MLP.equals(a)) {
            range("model.hiddenUnits", m.hiddenUnits(), 1, 65_536);
        } else {
            onlyFor("model.hiddenUnits", m.hiddenUnits(), "mlp", a);
        }
        if (ModelSpec.WRN.equals(a)) {
            if (m.depth() == null || m.depth() > MAX_WRN_DEPTH || ModelSpec.wrnBlocksPerGroup(m.depth()) == 0) {
                fail("model.depth", "must be 6n + 4 (10, 16, 22, 28, 34, 40, ...) or 6n + 2 (Madry et al.'s count, "
                        + "e.g. 32), n ≥ 1, at most " + MAX_WRN_DEPTH + ", got " + m.depth());
            }
            range("model.width", m.width(), 1, MAX_WRN_WIDTH);
        } else {
            onlyFor("model.depth", m.depth(), "wrn", a);
            onlyFor("model.width", m.width(), "wrn", a);
        }
        String n = m.normalization();
        if (n == null || (!ModelSpec.NONE.equals(n) && !n.equals(dataset))) {
            fail("model.normalization", "must be '" + ModelSpec.NONE + "' or the run's dataset '" + dataset
                    + "' (standardise with its per-channel mean and std), got '" + n + "'");
        } else if (!ModelSpec.NONE.equals(n) && facts != null && !facts.image()) {
            fail("model.normalization", "dataset " + dataset + " is not an image dataset and has no channel "
                    + "statistics; use '" + ModelSpec.NONE + "'");
        }
    }

    private void checkTraining(TrainingSpec t, String dataset, DatasetSpec.Facts facts) {
        String method = t.method();
        if (!TrainingMethods.isKnown(method)) {
            fail("training.method", "unknown value '" + method + "'; one of " + TrainingMethods.IDS);
        } else {
            Map<String, Double> takes = TrainingMethods.defaults(method);
            for (Map.Entry<String, Double> p : t.parameters().entrySet()) {
                String field = "training.parameters." + p.getKey();
                if (!takes.containsKey(p.getKey())) {
                    fail(field, "unknown parameter of '" + method + "'; it takes "
                            + (takes.isEmpty() ? "none" : takes.keySet().toString()));
                } else {
                    checkParameter(field, p.getKey(), p.getValue());
                }
            }
        }
        PiatSpec p = t.piat();
        positive("training.piat.b", p.b());
        if (p.a() < 0) {
            fail("training.piat.a", "must be ≥ 0, got " + p.a());
        }
        if (!(p.alphaMax() >= 0 && p.alphaMax() < 1)) {
            fail("training.piat.alphaMax", "must be in [0, 1), got " + p.alphaMax());
        }
        checkWeightPerturbation(t.weightPerturbation());
        checkAugmentation(t.augmentation(), dataset, facts);
    }

    /** Ranges of the hyper-parameters of {@link TrainingMethods}, by name (the same name means the same thing). */
    private void checkParameter(String field, String name, Double value) {
        if (value == null || !Double.isFinite(value)) {
            fail(field, "must be a finite number, got " + value);
            return;
        }
        switch (name) {
            case "beta", "mu", "lambda", "lambda1", "lambda2" -> {
                if (value < 0) {
                    fail(field, "must be ≥ 0, got " + value);
                }
            }
            case "decay", "threshold" -> {
                if (value < 0 || value > 1) {
                    fail(field, "must be in [0, 1], got " + value);
                }
            }
            case "ce_on_clean" -> {
                if (value != 0 && value != 1) {
                    fail(field, "must be 0 (cross-entropy on the adversarial logits) or 1 (on the clean logits), "
                            + "got " + value);
                }
            }
            case "start_epoch" -> {
                if (value < 0 || value != Math.rint(value)) {
                    fail(field, "must be a whole number of epochs ≥ 0, got " + value);
                }
            }
            case "slope" -> {
                if (value <= 0) {
                    fail(field, "must be > 0, got " + value);
                }
            }
            default -> {
                // bias and any parameter without a range: every finite number
            }
        }
    }

    private void checkWeightPerturbation(WeightPerturbationSpec w) {
        String type = w.type();
        if (!WEIGHT_PERTURBATIONS.contains(type)) {
            fail("training.weightPerturbation.type", "unknown value '" + type + "'; one of "
                    + WeightPerturbationSpec.TYPES);
            return;
        }
        if (!w.enabled()) {
            onlyFor("training.weightPerturbation.gamma", w.gamma(), "awp and rwp", type);
            onlyFor("training.weightPerturbation.steps", w.steps(), "awp and rwp", type);
            onlyFor("training.weightPerturbation.lossThreshold", w.lossThreshold(), "rwp", type);
            return;
        }
        positive("training.weightPerturbation.gamma", w.gamma());
        range("training.weightPerturbation.steps", w.steps(), 1, MAX_PERTURBATION_STEPS);
        if (WeightPerturbationSpec.RWP.equals(type)) {
            positive("training.weightPerturbation.lossThreshold", w.lossThreshold());
        } else {
            onlyFor("training.weightPerturbation.lossThreshold", w.lossThreshold(), "rwp", type);
        }
    }

    private void checkAugmentation(AugmentationSpec a, String dataset, DatasetSpec.Facts facts) {
        boolean crop = Boolean.TRUE.equals(a.randomCrop());
        if (facts != null && !facts.image()) {
            if (crop) {
                fail("training.augmentation.randomCrop", "dataset " + dataset + " is not an image dataset");
            }
            if (Boolean.TRUE.equals(a.horizontalFlip())) {
                fail("training.augmentation.horizontalFlip", "dataset " + dataset + " is not an image dataset");
            }
        }
        if (!crop) {
            onlyFor("training.augmentation.padding", a.padding(), "randomCrop true", "randomCrop false");
        } else if (facts != null && facts.image()) {
            int max = Math.min(facts.exampleShape().get(1), facts.exampleShape().get(2)) / 2;
            range("training.augmentation.padding", a.padding(), 1, max);
        }
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

    /** A field that the chosen {@code choice} does not take must be left out. */
    private void onlyFor(String field, Object value, String appliesTo, String choice) {
        if (value != null) {
            fail(field, "applies to " + appliesTo + " only, not to " + choice + "; leave it out");
        }
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
