package dev.robustlab.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.contracts.spec.RunSpec;
import dev.robustlab.contracts.spec.TrainingMethods;
import dev.robustlab.contracts.spec.TrainingSpec;
import dev.robustlab.contracts.spec.WeightPerturbationSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunExecutorRulesTest {

    @Test
    void specGetsItsDefaults() {
        RunSpec spec = RunExecutor.checkedSpec(new RunSpec(null, new DatasetSpec("toy-circles", null, null, null),
                null, null, 3, null, null, null, null, null, null));
        assertEquals(3, spec.epochs());
        assertEquals("mlp", spec.model().architecture());
    }

    @Test
    void invalidSpecNamesEveryBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunExecutor.checkedSpec(
                new RunSpec(null, new DatasetSpec("nope", null, null, null), null, null, 0, null, null, null, null,
                        null, null)));
        assertTrue(e.getMessage().contains("dataset.name") && e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void everyMethodArchitectureAndDatasetIsAccepted() {
        for (String method : TrainingMethods.IDS) {
            RunSpec spec = RunExecutor.checkedSpec(new RunSpec(null, new DatasetSpec(DatasetSpec.CIFAR10, null, null,
                    null), new ModelSpec(ModelSpec.PREACT_RESNET18, null), new TrainingSpec(method, null), null, null,
                    null, null, null, null, null));
            assertEquals(TrainingMethods.defaults(method), spec.training().parameters());
        }
        for (String architecture : List.of(ModelSpec.MLP, ModelSpec.SMALL_CNN)) {
            RunExecutor.checkedSpec(new RunSpec(null, new DatasetSpec(DatasetSpec.FASHION_MNIST, 300, 100, null),
                    new ModelSpec(architecture, null), null, null, null, null, null, null, null, null));
        }
        for (String dataset : List.of(DatasetSpec.CIFAR10, DatasetSpec.CIFAR100, DatasetSpec.SVHN)) {
            for (String architecture : List.of(ModelSpec.RESNET18, ModelSpec.WRN)) {
                RunExecutor.checkedSpec(new RunSpec(null, new DatasetSpec(dataset, null, null, null),
                        new ModelSpec(architecture, null), new TrainingSpec(TrainingMethods.ST, null, null,
                        new WeightPerturbationSpec(WeightPerturbationSpec.RWP, null, null, null), null), null, null,
                        null, null, null, null, null));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunExecutor.checkedSpec(
                new RunSpec(null, new DatasetSpec(DatasetSpec.FASHION_MNIST, null, null, null),
                        new ModelSpec(ModelSpec.WRN, null), null, null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("model.architecture wrn takes 3×32×32 images"), e.getMessage());
    }

    @Test
    void missingSpecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RunExecutor.checkedSpec(null));
    }
}
