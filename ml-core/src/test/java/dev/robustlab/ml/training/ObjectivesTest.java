package dev.robustlab.ml.training;

import dev.robustlab.contracts.spec.ThreatModel;
import dev.robustlab.contracts.spec.TrainingMethods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Objectives#create} builds Squeeze Training and CFA from their ids, with defaults or given parameters. */
class ObjectivesTest {
    private static final ThreatModel CIFAR = new ThreatModel(ThreatModel.LINF, 8 / 255.0, 2 / 255.0, 10);

    @Test
    void eachIdBuildsWithItsDefaults() {
        for (String id : List.of(TrainingMethods.ST, TrainingMethods.ST_JS, TrainingMethods.ST_L2,
                TrainingMethods.CFA)) {
            assertTrue(Objectives.KNOWN.contains(id), id + " is listed as implemented");
            TrainingObjective objective = Objectives.create(id, Map.of(), CIFAR);
            assertEquals(id, objective.id());
        }
        SqueezeTrainingObjective st = (SqueezeTrainingObjective) Objectives.create(TrainingMethods.ST_L2, Map.of(),
                CIFAR);
        assertEquals(SqueezeTrainingObjective.Regularizer.SQUARED_L2, st.regularizer());
        assertEquals(6.0, st.beta());
        CfaObjective cfa = assertInstanceOf(CfaObjective.class, Objectives.create(TrainingMethods.CFA, Map.of(),
                CIFAR));
        assertEquals(8 / 255.0, cfa.classEpsilon(0), 1e-15);
        assertEquals(6.0 / 7, cfa.classBeta(0), 1e-15);
    }

    @Test
    void givenParametersAreUsed() {
        SqueezeTrainingObjective st = (SqueezeTrainingObjective) Objectives.create(TrainingMethods.ST,
                Map.of("beta", 3.0), CIFAR);
        assertEquals(3.0, st.beta());
        CfaObjective cfa = (CfaObjective) Objectives.create(TrainingMethods.CFA,
                Map.of("beta", 1.0, "start_epoch", 0.0, "threshold", 1.0), CIFAR);
        cfa.epochEnded(new EpochContext(1, null, new long[] {1, 1}, new long[] {2, 2}));
        assertEquals((0.5 + 0.5) * 1.0 / (1 + (0.5 + 0.5) * 1.0), cfa.classBeta(0), 1e-15);
    }

    @Test
    void refusesWhatTheyCannotTrain() {
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class,
                () -> Objectives.create(TrainingMethods.ST, Map.of(), new ThreatModel("l2", 0.5, 0.1, 10)));
        assertTrue(norm.getMessage().contains("threatModel.norm"), norm.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Objectives.create(TrainingMethods.ST, Map.of("mu", 1.0), CIFAR));
        assertTrue(unknown.getMessage().contains("mu"), unknown.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> Objectives.create(TrainingMethods.CFA, Map.of("start_epoch", 2.5), CIFAR));
        assertTrue(fraction.getMessage().contains("start_epoch"), fraction.getMessage());
        IllegalArgumentException decay = assertThrows(IllegalArgumentException.class,
                () -> Objectives.create(TrainingMethods.CFA, Map.of("decay", 1.5), CIFAR));
        assertTrue(decay.getMessage().contains("decay"), decay.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> Objectives.create(TrainingMethods.ST_JS, Map.of("beta", -1.0), CIFAR));
        assertTrue(beta.getMessage().contains("beta"), beta.getMessage());
    }
}
