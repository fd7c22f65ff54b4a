package dev.robustlab.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training part of a run spec: every method of TrainingMethods, its parameters, weight perturbation. */
class TrainingSpecTest {

    private static RunSpec spec(TrainingSpec training) {
        return new RunSpec(null, new DatasetSpec(DatasetSpec.TOY_CIRCLES, null, null, null), null, training, null,
                null, null, null, null, null, null).withDefaults();
    }

    private static TrainingSpec training(String method, Map<String, Double> parameters) {
        return new TrainingSpec(method, null, parameters, null, null);
    }

    private static List<FieldError> errors(TrainingSpec training) {
        return RunSpecValidator.validate(spec(training));
    }

    @Test
    void everyMethodIsAcceptedWithItsDefaultParameters() {
        assertEquals(13, TrainingMethods.IDS.size());
        for (String method : TrainingMethods.IDS) {
            RunSpec s = spec(training(method, null));
            assertEquals(List.of(), RunSpecValidator.validate(s), method);
            assertEquals(TrainingMethods.defaults(method), s.training().parameters(), method);
        }
        assertEquals(Map.of(), spec(null).training().parameters());
        assertEquals("pgd-at", spec(null).training().method());
    }

    @Test
    void givenParametersOverrideTheDefaultsAndNullMeansDefault() {
        Map<String, Double> given = new HashMap<>();
        given.put("mu", 2.0);
        given.put("ce_on_clean", null);
        RunSpec s = spec(training(TrainingMethods.NMSE, given));
        assertEquals(List.of(), RunSpecValidator.validate(s));
        assertEquals(Map.of("mu", 2.0, "ce_on_clean", 0.0), s.training().parameters());
        assertEquals(List.of("mu", "ce_on_clean"), List.copyOf(s.training().parameters().keySet()));
        Map<String, Double> typo = new HashMap<>();
        typo.put("m", null);
        assertEquals(List.of(new FieldError("training.parameters.m", "unknown parameter of 'nmse'; it takes "
                + "[mu, ce_on_clean]")), errors(training(TrainingMethods.NMSE, typo)));
    }

    @Test
    void anUnknownParameterIsNamedWithTheMethodsKnownNames() {
        assertEquals(List.of(new FieldError("training.parameters.gamma",
                        "unknown parameter of 'mail-trades'; it takes [beta, bias, slope]")),
                errors(training(TrainingMethods.MAIL_TRADES, Map.of("gamma", 1.0, "beta", 3.0))));
        assertEquals(List.of(new FieldError("training.parameters.beta",
                        "unknown parameter of 'pgd-at'; it takes none")),
                errors(training(TrainingMethods.PGD_AT, Map.of("beta", 6.0))));
    }

    @Test
    void parameterValuesOutsideTheirRangeAreNamed() {
        List<FieldError> cfa = errors(training(TrainingMethods.CFA, Map.of("beta", -1.0, "decay", 1.5,
                "start_epoch", 2.5, "threshold", Double.NaN)));
        assertEquals(List.of("training.parameters.beta", "training.parameters.decay",
                "training.parameters.start_epoch", "training.parameters.threshold"),
                cfa.stream().map(FieldError::field).toList());
        assertTrue(cfa.get(2).reason().contains("whole number"), cfa.get(2).reason());
        List<FieldError> nmse = errors(training(TrainingMethods.NMSE, Map.of("ce_on_clean", 0.5)));
        assertEquals(List.of("training.parameters.ce_on_clean"), nmse.stream().map(FieldError::field).toList());
        assertEquals(List.of(), errors(training(TrainingMethods.MAIL_AT, Map.of("bias", -3.0, "slope", 0.5))));
        assertEquals(List.of("training.parameters.slope"),
                errors(training(TrainingMethods.MAIL_AT, Map.of("slope", 0.0))).stream().map(FieldError::field)
                        .toList());
    }

    @Test
    void anUnknownMethodIsNamedWithEveryKnownId() {
        List<FieldError> e = errors(training("sam", Map.of("rho", 0.05)));
        assertEquals(List.of("training.method"), e.stream().map(FieldError::field).toList());
        assertTrue(e.get(0).reason().contains(TrainingMethods.IDS.toString()), e.get(0).reason());
    }

    @Test
    void weightPerturbationDefaultsFollowThePapers() {
        assertEquals(new WeightPerturbationSpec("none", null, null, null),
                spec(null).training().weightPerturbation());
        assertFalse(spec(null).training().weightPerturbation().enabled());
        RunSpec awp = spec(new TrainingSpec(null, null, null, new WeightPerturbationSpec("awp", null, null, null),
                null));
        assertEquals(new WeightPerturbationSpec("awp", 0.01, 1, null), awp.training().weightPerturbation());
        assertEquals(List.of(), RunSpecValidator.validate(awp));
        RunSpec rwp = spec(new TrainingSpec(TrainingMethods.TRADES, null, null,
                new WeightPerturbationSpec("rwp", null, null, null), null));
        assertEquals(new WeightPerturbationSpec("rwp", 0.01, 10, 1.7), rwp.training().weightPerturbation());
        assertTrue(rwp.training().weightPerturbation().enabled());
        assertEquals(List.of(), RunSpecValidator.validate(rwp));
    }

    @Test
    void weightPerturbationFieldsThatDoNotApplyOrAreOutOfRangeAreNamed() {
        assertEquals(List.of(new FieldError("training.weightPerturbation.gamma",
                "applies to awp and rwp only, not to none; leave it out")),
                errors(new TrainingSpec(null, null, null, new WeightPerturbationSpec(null, 0.01, null, null), null)));
        assertEquals(List.of("training.weightPerturbation.lossThreshold"),
                errors(new TrainingSpec(null, null, null, new WeightPerturbationSpec("awp", null, null, 1.7), null))
                        .stream().map(FieldError::field).toList());
        assertEquals(List.of("training.weightPerturbation.gamma", "training.weightPerturbation.steps",
                        "training.weightPerturbation.lossThreshold"),
                errors(new TrainingSpec(null, null, null, new WeightPerturbationSpec("rwp", 0.0, 0, -1.0), null))
                        .stream().map(FieldError::field).toList());
        List<FieldError> unknown = errors(new TrainingSpec(null, null, null,
                new WeightPerturbationSpec("sam", null, null, null), null));
        assertEquals(List.of(new FieldError("training.weightPerturbation.type",
                "unknown value 'sam'; one of [none, awp, rwp]")), unknown);
    }
}
