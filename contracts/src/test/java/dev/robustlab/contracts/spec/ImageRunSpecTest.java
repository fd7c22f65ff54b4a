package dev.robustlab.contracts.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Datasets, architectures and augmentation of a run spec: their defaults and what the validator refuses. */
class ImageRunSpecTest {

    private static RunSpec spec(String dataset, ModelSpec model, AugmentationSpec augmentation) {
        return new RunSpec(null, new DatasetSpec(dataset, null, null, null), model,
                new TrainingSpec(null, null, null, null, augmentation), null, null, null, null, null, null, null)
                .withDefaults();
    }

    private static List<FieldError> errors(RunSpec spec) {
        return RunSpecValidator.validate(spec);
    }

    private static List<String> fields(RunSpec spec) {
        return errors(spec).stream().map(FieldError::field).toList();
    }

    @Test
    void cifar10DefaultsAreThePapersSetting() {
        RunSpec s = spec(DatasetSpec.CIFAR10, new ModelSpec(ModelSpec.RESNET18, null), null);
        assertEquals(List.of(), errors(s));
        assertEquals(new DatasetSpec("cifar10", 50_000, 10_000, 9551L), s.dataset());
        assertEquals(new ModelSpec("resnet18", null, null, null, "cifar10"), s.model());
        assertEquals(8.0 / 255, s.threatModel().epsilon());
        assertEquals(2.0 / 255, s.threatModel().stepSize(), 1e-15);
        assertEquals(2.0 / 255, s.evaluation().stepSize(), 1e-15);
        assertEquals(10_000, s.evaluation().examples());
        assertEquals(new AugmentationSpec(true, 4, true), s.training().augmentation());
        assertEquals(new OptimizerSpec("sgd", 0.01, 0.9, 5e-4), s.optimizer());
        assertEquals(10, DatasetSpec.classes("cifar10").getAsInt());
        assertEquals(100, DatasetSpec.classes("cifar100").getAsInt());
    }

    @Test
    void defaultsAreIdempotentSoTheTrainerMayApplyThemAgain() {
        for (String dataset : DatasetSpec.NAMES) {
            for (String architecture : ModelSpec.ARCHITECTURES) {
                RunSpec once = spec(dataset, new ModelSpec(architecture, null), null);
                assertEquals(once, once.withDefaults(), dataset + " " + architecture);
            }
        }
    }

    @Test
    void svhnTrainsWithAlphaOf1Over255AndNoAugmentation() {
        RunSpec s = spec(DatasetSpec.SVHN, new ModelSpec(ModelSpec.PREACT_RESNET18, null), null);
        assertEquals(List.of(), errors(s));
        assertEquals(73_257, s.dataset().trainSize());
        assertEquals(26_032, s.dataset().testSize());
        assertEquals(1.0 / 255, s.threatModel().stepSize(), 1e-15);
        assertEquals(new AugmentationSpec(false, null, false), s.training().augmentation());
        assertEquals("svhn", s.model().normalization());
    }

    @Test
    void fashionMnistKeepsTheSmallModelsAsTheyAre() {
        RunSpec s = spec(DatasetSpec.FASHION_MNIST, new ModelSpec(ModelSpec.SMALL_CNN, null), null);
        assertEquals(List.of(), errors(s));
        assertEquals(new ModelSpec("small-cnn", null, null, null, "none"), s.model());
        assertEquals("small-cnn", s.model().describe());
        assertEquals(0.1, s.threatModel().epsilon());
        assertEquals(60_000, s.dataset().trainSize());
        RunSpec mlp = spec(DatasetSpec.FASHION_MNIST, null, null);
        assertEquals(List.of(), errors(mlp));
        assertEquals("mlp(hidden=64)", mlp.model().describe());
    }

    @Test
    void wrnDefaultsTo34By10AndAcceptsMadrysCountOf32() {
        RunSpec s = spec(DatasetSpec.CIFAR100, new ModelSpec(ModelSpec.WRN, null), null);
        assertEquals(List.of(), errors(s));
        assertEquals("wrn(depth=34,width=10,normalization=cifar100)", s.model().describe());
        assertEquals(5, ModelSpec.wrnBlocksPerGroup(34));
        assertEquals(5, ModelSpec.wrnBlocksPerGroup(32));
        assertEquals(4, ModelSpec.wrnBlocksPerGroup(28));
        assertEquals(1, ModelSpec.wrnBlocksPerGroup(10));
        assertEquals(0, ModelSpec.wrnBlocksPerGroup(33));
        assertEquals(0, ModelSpec.wrnBlocksPerGroup(4));
        for (int depth : List.of(28, 32, 34)) {
            assertEquals(List.of(), errors(spec(DatasetSpec.CIFAR10, new ModelSpec("wrn", null, depth, 10, null),
                    null)), "WRN-" + depth + "-10");
        }
        List<FieldError> bad = errors(spec(DatasetSpec.CIFAR10, new ModelSpec("wrn", null, 33, 0, null), null));
        assertEquals(List.of("model.depth", "model.width"), bad.stream().map(FieldError::field).toList());
        assertTrue(bad.get(0).reason().contains("6n + 4") && bad.get(0).reason().contains("got 33"),
                bad.get(0).reason());
    }

    @Test
    void a32By32ModelOnFashionMnistIsRefusedWithTheReason() {
        List<FieldError> e = errors(spec(DatasetSpec.FASHION_MNIST, new ModelSpec(ModelSpec.PREACT_RESNET18, null),
                null));
        assertEquals(List.of(new FieldError("model.architecture", "preact-resnet18 takes 3×32×32 images; dataset "
                + "fashion-mnist has examples of shape 1×28×28: use it on cifar10, cifar100 or svhn, or small-cnn "
                + "here")), e);
        assertEquals(List.of("model.architecture"), fields(spec(DatasetSpec.TOY_CIRCLES,
                new ModelSpec(ModelSpec.WRN, null), null)));
        List<FieldError> cnn = errors(spec(DatasetSpec.TOY_CIRCLES, new ModelSpec(ModelSpec.SMALL_CNN, null), null));
        assertEquals(List.of("model.architecture"), cnn.stream().map(FieldError::field).toList());
        assertTrue(cnn.get(0).reason().contains("takes images"), cnn.get(0).reason());
    }

    @Test
    void parametersOfAnotherArchitectureAreRefused() {
        assertEquals(List.of("model.hiddenUnits", "model.depth"), fields(spec(DatasetSpec.CIFAR10,
                new ModelSpec(ModelSpec.RESNET18, 64, 34, null, null), null)));
        List<FieldError> e = errors(spec(DatasetSpec.CIFAR10, new ModelSpec(ModelSpec.MLP, 8, null, 10, null),
                null));
        assertEquals(List.of(new FieldError("model.width", "applies to wrn only, not to mlp; leave it out")), e);
    }

    @Test
    void normalizationIsNoneOrTheRunsDataset() {
        assertEquals(List.of(), errors(spec(DatasetSpec.CIFAR10,
                new ModelSpec(ModelSpec.RESNET18, null, null, null, "none"), null)));
        assertEquals(List.of(), errors(spec(DatasetSpec.FASHION_MNIST,
                new ModelSpec(ModelSpec.SMALL_CNN, null, null, null, "fashion-mnist"), null)));
        assertEquals("small-cnn(normalization=fashion-mnist)",
                new ModelSpec(ModelSpec.SMALL_CNN, null, null, null, "fashion-mnist").describe());
        List<FieldError> e = errors(spec(DatasetSpec.CIFAR10,
                new ModelSpec(ModelSpec.RESNET18, null, null, null, "cifar100"), null));
        assertEquals(List.of("model.normalization"), e.stream().map(FieldError::field).toList());
        assertTrue(e.get(0).reason().contains("'cifar10'") && e.get(0).reason().contains("got 'cifar100'"),
                e.get(0).reason());
        assertEquals(List.of("model.normalization"), fields(spec(DatasetSpec.TOY_CIRCLES,
                new ModelSpec(ModelSpec.MLP, null, null, null, "toy-circles"), null)));
    }

    @Test
    void imageSplitSizesAreBoundedByThePublishedSplits() {
        RunSpec s = new RunSpec(null, new DatasetSpec(DatasetSpec.CIFAR10, 50_001, 10_001, null), null, null, null,
                null, null, null, null, null, null).withDefaults();
        List<FieldError> e = errors(s);
        assertEquals(List.of("dataset.trainSize", "dataset.testSize"), e.stream().map(FieldError::field).toList());
        assertTrue(e.get(0).reason().contains("between 1 and 50000"), e.get(0).reason());
        RunSpec few = new RunSpec(null, new DatasetSpec(DatasetSpec.FASHION_MNIST, 300, 100, null), null, null, null,
                null, null, null, null, null, null).withDefaults();
        assertEquals(List.of(), errors(few));
        assertEquals(100, few.evaluation().examples());
    }

    @Test
    void augmentationIsForImagesAndItsPaddingForTheCrop() {
        assertEquals(List.of("training.augmentation.randomCrop", "training.augmentation.horizontalFlip"),
                fields(spec(DatasetSpec.TOY_CIRCLES, null, new AugmentationSpec(true, null, true))));
        assertEquals(new AugmentationSpec(false, null, false),
                spec(DatasetSpec.TOY_CIRCLES, null, null).training().augmentation());
        assertEquals(List.of("training.augmentation.padding"),
                fields(spec(DatasetSpec.CIFAR10, null, new AugmentationSpec(false, 4, true))));
        assertEquals(List.of("training.augmentation.padding"),
                fields(spec(DatasetSpec.CIFAR10, null, new AugmentationSpec(true, 17, true))));
        RunSpec fashion = spec(DatasetSpec.FASHION_MNIST, new ModelSpec(ModelSpec.SMALL_CNN, null),
                new AugmentationSpec(true, null, null));
        assertEquals(List.of(), errors(fashion));
        assertEquals(new AugmentationSpec(true, 4, false), fashion.training().augmentation());
        assertTrue(fashion.training().augmentation().enabled());
    }
}
