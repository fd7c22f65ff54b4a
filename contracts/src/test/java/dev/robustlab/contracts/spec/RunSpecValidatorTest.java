package dev.robustlab.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunSpecValidatorTest {

    private static List<String> fields(RunSpec spec) {
        return RunSpecValidator.validate(spec.withDefaults()).stream().map(FieldError::field).toList();
    }

    @Test
    void aMinimalSpecIsValidAndGetsThePaperDefaults() {
        RunSpec spec = new RunSpec(null, new DatasetSpec("toy-circles", null, null, null), null, null, null, null,
                null, null, null, null, null).withDefaults();
        assertEquals(List.of(), RunSpecValidator.validate(spec));
        assertEquals(20, spec.epochs());
        assertEquals(0.5, spec.optimizer().learningRate());
        assertEquals(0.9, spec.optimizer().momentum());
        assertEquals(0.0, spec.optimizer().weightDecay());
        assertEquals(0.1 / 4, spec.threatModel().stepSize());
        assertEquals(List.of("pgd-20", "cw-inf"), spec.evaluation().attacks());
        assertEquals(1000, spec.evaluation().examples());
        assertEquals(4, spec.evaluation().shardCount());
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        RunSpec spec = new RunSpec("x", new DatasetSpec("cifar-1000", 0, 10, null), new ModelSpec("vit", 0),
                new TrainingSpec("magic", new PiatSpec(true, -1.0, 0.0, 1.0)), 0, 0,
                new OptimizerSpec("adam", -0.1, 1.0, -1.0),
                new LearningRateSchedule("piecewise-linear",
                        Arrays.asList(new LearningRateSchedule.Knot(5.0, 0.1),
                                new LearningRateSchedule.Knot(3.0, -0.1), null)),
                new ThreatModel("l2", 2.0, -1.0, 0),
                new EvaluationPlan(Arrays.asList("pgd-20", "fab", "pgd-20", null), Arrays.asList(0, null), 0, 11,
                        0, -1.0), 1L);
        List<String> expected = List.of(
                "dataset.name", "dataset.trainSize",
                "model.architecture", "model.hiddenUnits",
                "training.method", "training.piat.b", "training.piat.a", "training.piat.alphaMax",
                "epochs", "batchSize",
                "optimizer.name", "optimizer.learningRate", "optimizer.momentum", "optimizer.weightDecay",
                "lrSchedule.knots[1].epoch", "lrSchedule.knots[1].learningRate", "lrSchedule.knots[2]",
                "threatModel.norm", "threatModel.epsilon", "threatModel.stepSize", "threatModel.steps",
                "evaluation.attacks[1]", "evaluation.attacks[2]", "evaluation.attacks[3]",
                "evaluation.epochs[0]", "evaluation.epochs[1]", "evaluation.every", "evaluation.examples",
                "evaluation.shardSize", "evaluation.stepSize");
        assertEquals(expected, fields(spec));
    }

    @Test
    void everyReasonSaysWhatWasWrong() {
        RunSpec spec = new RunSpec(null, new DatasetSpec("toy-circles", null, null, null), null, null, 3, null,
                null, null, new ThreatModel(null, 0.0, null, null),
                new EvaluationPlan(null, List.of(4), null, null, null, null), null);
        List<FieldError> errors = RunSpecValidator.validate(spec.withDefaults());
        assertEquals(List.of("threatModel.epsilon", "threatModel.stepSize", "evaluation.epochs[0]",
                "evaluation.stepSize"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).reason().contains("got 0.0"), errors.get(0).reason());
        assertTrue(errors.get(2).reason().contains("between 1 and 3, got 4"), errors.get(2).reason());
    }

    @Test
    void aConstantScheduleRefusesKnots() {
        RunSpec spec = minimal(new LearningRateSchedule("constant",
                List.of(new LearningRateSchedule.Knot(1.0, 0.1))));
        assertEquals(List.of("lrSchedule.knots"), fields(spec));
        assertEquals(List.of("lrSchedule.knots"), fields(minimal(new LearningRateSchedule("piecewise-constant",
                List.of()))));
        assertEquals(List.of("lrSchedule.type"), fields(minimal(new LearningRateSchedule("cosine", null))));
    }

    @Test
    void everyKnownAttackRunsOnTheToyDatasetButThoseNeedingMoreClassesOrL2() {
        List<String> runnable = EvaluationPlan.KNOWN_ATTACKS.stream()
                .filter(a -> !a.equals(EvaluationPlan.APGD_DLR) && !a.equals(EvaluationPlan.APGD_T)
                        && !a.equals(EvaluationPlan.CW_L2)).toList();
        assertEquals(List.of("pgd-20", "cw-inf", "fgsm", "i-fgsm", "mi-fgsm", "apgd-ce", "fab-t", "square",
                "autoattack", "autoattack-plus"), runnable);
        assertEquals(List.of(), fields(withAttacks(runnable)));
    }

    @Test
    void attacksNeedingMoreClassesThanTheDatasetHasAreNamedWithTheReason() {
        List<FieldError> errors = RunSpecValidator.validate(withAttacks(
                List.of("apgd-ce", "apgd-dlr", "autoattack", "apgd-t")).withDefaults());
        assertEquals(List.of(
                new FieldError("evaluation.attacks[1]", "'apgd-dlr' needs at least 3 classes; dataset toy-circles "
                        + "has 2"),
                new FieldError("evaluation.attacks[3]", "'apgd-t' needs at least 4 classes; dataset toy-circles "
                        + "has 2")), errors);
    }

    @Test
    void classCountsLiveInOnePlace() {
        assertEquals(2, DatasetSpec.classes(DatasetSpec.TOY_CIRCLES).getAsInt());
        assertTrue(DatasetSpec.classes("cifar-1000").isEmpty());
        assertTrue(DatasetSpec.classes(null).isEmpty());
        for (String dataset : RunSpecValidator.DATASETS) {
            assertTrue(DatasetSpec.classes(dataset).isPresent(), dataset);
        }
        assertEquals(2, EvaluationPlan.minClasses("pgd-20"));
        assertEquals(3, EvaluationPlan.minClasses("apgd-dlr"));
        assertEquals(4, EvaluationPlan.minClasses("apgd-t"));
    }

    @Test
    void unknownAttacksAreNamed() {
        List<FieldError> errors = RunSpecValidator.validate(withAttacks(List.of("square", "fab")).withDefaults());
        assertEquals(List.of("evaluation.attacks[1]"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).reason().contains("unknown attack 'fab'"), errors.get(0).reason());
    }

    @Test
    void attacksOfAnotherNormAreNamedWithTheReason() {
        List<FieldError> errors = RunSpecValidator.validate(withAttacks(List.of("fab-t", "cw-l2", "cw-inf"))
                .withDefaults());
        assertEquals(List.of(new FieldError("evaluation.attacks[1]", "'cw-l2' attacks in [l2] only, the threat "
                + "model's norm is linf")), errors);
        assertEquals(List.of("linf"), EvaluationPlan.norms("cw-inf"));
        assertEquals(List.of("linf"), EvaluationPlan.norms("i-fgsm"));
        assertEquals(List.of("l2"), EvaluationPlan.norms("cw-l2"));
        assertEquals(List.of("linf", "l2"), EvaluationPlan.norms("fab-t"));
        assertEquals(List.of("linf", "l2"), EvaluationPlan.norms("autoattack"));
    }

    private static RunSpec withAttacks(List<String> attacks) {
        return new RunSpec(null, new DatasetSpec("toy-circles", null, null, null), null, null, null, null, null,
                null, null, new EvaluationPlan(attacks, null, null, null, null, null), null);
    }

    @Test
    void examplesMayNotExceedTheTestSet() {
        RunSpec spec = new RunSpec(null, new DatasetSpec("toy-circles", null, 100, null), null, null, null, null,
                null, null, null, new EvaluationPlan(null, null, null, 101, null, null), null);
        assertEquals(List.of("evaluation.examples"), fields(spec));
    }

    @Test
    void aMissingDatasetNameIsNamed() {
        RunSpec spec = new RunSpec(null, null, null, null, null, null, null, null, null, null, null);
        List<FieldError> errors = RunSpecValidator.validate(spec.withDefaults());
        assertEquals(List.of("dataset.name"), errors.stream().map(FieldError::field).collect(Collectors.toList()));
        assertTrue(errors.get(0).reason().contains("required"));
    }

    @Test
    void evaluationPlanCoversEveryNthAndTheLastEpoch() {
        EvaluationPlan every3 = new EvaluationPlan(null, null, 3, null, null, null).withDefaults(100, 0.1);
        List<Integer> covered = new ArrayList<>();
        for (int e = 1; e <= 10; e++) {
            if (every3.covers(e, 10)) {
                covered.add(e);
            }
        }
        assertEquals(List.of(3, 6, 9, 10), covered);
        EvaluationPlan listed = new EvaluationPlan(null, List.of(2, 5), null, null, null, null)
                .withDefaults(100, 0.1);
        assertTrue(listed.covers(2, 10) && listed.covers(5, 10) && !listed.covers(10, 10));
    }

    @Test
    void shardCountRoundsUp() {
        assertEquals(4, new EvaluationPlan(null, null, null, 1000, 300, null).withDefaults(1000, 0.1).shardCount());
        assertEquals(1, new EvaluationPlan(null, null, null, 7, 250, null).withDefaults(1000, 0.1).shardCount());
    }

    private static RunSpec minimal(LearningRateSchedule schedule) {
        return new RunSpec(null, new DatasetSpec("toy-circles", null, null, null), null, null, null, null, null,
                schedule, null, null, null);
    }
}
