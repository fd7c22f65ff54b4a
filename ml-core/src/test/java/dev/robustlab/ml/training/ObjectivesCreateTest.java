package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Objectives#create} builds ALP, TRADES, MART, MAIL and NMSE with their defaults or given parameters. */
class ObjectivesCreateTest {
    private static final ThreatModel THREAT = new ThreatModel("linf", 0.1, 0.025, 10);

    @Test
    void buildsEachMethodWithItsDefaults() {
        AlpObjective alp = assertInstanceOf(AlpObjective.class, create(TrainingMethods.ALP, Map.of()));
        assertEquals(0.5, alp.lambda());
        TradesObjective trades = assertInstanceOf(TradesObjective.class, create(TrainingMethods.TRADES, Map.of()));
        assertEquals(6, trades.beta());
        MartObjective mart = assertInstanceOf(MartObjective.class, create(TrainingMethods.MART, Map.of()));
        assertEquals(6, mart.beta());
        for (MailObjective.Base base : MailObjective.Base.values()) {
            MailObjective mail = assertInstanceOf(MailObjective.class, create(base.id(), Map.of()));
            assertEquals(base, mail.base());
            assertEquals(-1.5, mail.bias());
            assertEquals(1.0, mail.slope());
            if (base != MailObjective.Base.AT) {
                assertEquals(6, mail.beta());
            }
        }
        NmseObjective nmse = assertInstanceOf(NmseObjective.class, create(TrainingMethods.NMSE, Map.of()));
        assertEquals(4, nmse.mu());
        assertFalse(nmse.crossEntropyOnClean());
    }

    @Test
    void buildsEachMethodWithGivenParameters() {
        assertEquals(2.0, ((AlpObjective) create(TrainingMethods.ALP, Map.of("lambda", 2.0))).lambda());
        assertEquals(1.0, ((TradesObjective) create(TrainingMethods.TRADES, Map.of("beta", 1.0))).beta());
        assertEquals(3.0, ((MartObjective) create(TrainingMethods.MART, Map.of("beta", 3.0))).beta());
        MailObjective mail = (MailObjective) create(TrainingMethods.MAIL_MART,
                Map.of("beta", 2.0, "bias", 0.5, "slope", 4.0));
        assertEquals(2.0, mail.beta());
        assertEquals(0.5, mail.bias());
        assertEquals(4.0, mail.slope());
        MailObjective mailAt = (MailObjective) create(TrainingMethods.MAIL_AT, Map.of("slope", 3.0));
        assertEquals(-1.5, mailAt.bias());
        assertEquals(3.0, mailAt.slope());
        NmseObjective nmse = (NmseObjective) create(TrainingMethods.NMSE, Map.of("mu", 1.0, "ce_on_clean", 1.0));
        assertEquals(1.0, nmse.mu());
        assertTrue(nmse.crossEntropyOnClean());
    }

    @Test
    void idsAreTheMethodIdsAndKnown() {
        for (String method : List.of(TrainingMethods.ALP, TrainingMethods.TRADES, TrainingMethods.MART,
                TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
                TrainingMethods.NMSE)) {
            assertEquals(method, create(method, Map.of()).id());
            assertTrue(Objectives.KNOWN.contains(method), method);
        }
    }

    @Test
    void refusesUnknownParameterNames() {
        for (String method : List.of(TrainingMethods.ALP, TrainingMethods.TRADES, TrainingMethods.MART,
                TrainingMethods.MAIL_AT, TrainingMethods.MAIL_TRADES, TrainingMethods.MAIL_MART,
                TrainingMethods.NMSE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> create(method, Map.of("gamma", 1.0)));
            assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains(method), e.getMessage());
        }
        // MAIL on AT has no KL term: beta is not one of its parameters
        assertThrows(IllegalArgumentException.class, () -> create(TrainingMethods.MAIL_AT, Map.of("beta", 6.0)));
    }

    @Test
    void refusesInvalidValuesNamingTheParameter() {
        assertMessage(TrainingMethods.TRADES, Map.of("beta", -1.0), "'beta' must be finite and ≥ 0");
        assertMessage(TrainingMethods.ALP, Map.of("lambda", Double.NaN), "'lambda' must be finite and ≥ 0");
        assertMessage(TrainingMethods.MART, Map.of("beta", Double.POSITIVE_INFINITY), "'beta'");
        assertMessage(TrainingMethods.MAIL_TRADES, Map.of("slope", Double.NaN), "'slope' must be finite");
        assertMessage(TrainingMethods.MAIL_AT, Map.of("bias", Double.NEGATIVE_INFINITY), "'bias' must be finite");
        assertMessage(TrainingMethods.NMSE, Map.of("ce_on_clean", 0.5), "'ce_on_clean' must be 0 or 1");
        assertMessage(TrainingMethods.NMSE, Map.of("mu", -0.1), "'mu' must be finite and ≥ 0");
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("mu", null);
        assertMessage(TrainingMethods.NMSE, nullValue, "'mu' must be a number");
    }

    @Test
    void refusesAnUnknownNormForTheTrainingAttack() {
        assertThrows(IllegalArgumentException.class, () -> Objectives.create(TrainingMethods.TRADES, Map.of(),
                new ThreatModel("l1", 0.1, 0.025, 10)));
    }

    private static void assertMessage(String method, Map<String, Double> parameters, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(method, parameters));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(method), e.getMessage());
    }

    private static TrainingObjective create(String method, Map<String, Double> parameters) {
        return Objectives.create(method, parameters, THREAT);
    }
}
