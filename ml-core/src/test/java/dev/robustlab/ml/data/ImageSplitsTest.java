package dev.robustlab.ml.data;

import dev.robustlab.contracts.spec.DatasetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Datasets reads an image dataset's train and test splits from {@code <data root>/<name>}, as much as asked for. */
class ImageSplitsTest {
    @TempDir
    Path root;

    @Test
    void theFirstTrainSizeAndTestSizeExamplesOfTheSplits() throws IOException {
        ImageFixtures.cifar10(root, 5, 7, 1L);
        DatasetSpec spec = new DatasetSpec(DatasetSpec.CIFAR10, 12, 6, 9551L);
        DatasetSplits splits = Datasets.load(spec, root);
        assertEquals(12, splits.train().size());
        assertEquals(6, splits.test().size());
        for (int i = 0; i < 12; i++) {
            assertEquals(ImageFixtures.cifar10Label(1 + i / 5, i % 5), splits.train().label(i), "train " + i);
        }
        LabeledExamples all = ImageDatasets.load(DatasetSpec.CIFAR10, ImageDatasets.TRAIN,
                root.resolve("cifar10"));
        assertArrayEquals(all.features(11), splits.train().features(11), 0f);
        LabeledExamples shard = Datasets.testShard(spec, root, 2, 3);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(splits.test().features(2 + i), shard.features(i), 0f);
            assertEquals(splits.test().label(2 + i), shard.label(i));
        }
        assertEquals(Datasets.testSplit(spec, root).label(5), splits.test().label(5));
    }

    @Test
    void aSplitSmallerThanTheSpecOrAShardOutsideItIsRefused() throws IOException {
        ImageFixtures.cifar10(root, 5, 7, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.trainSplit(
                new DatasetSpec(DatasetSpec.CIFAR10, 26, 7, 1L), root));
        assertTrue(e.getMessage().contains("has 25 examples, the spec asks for 26 (dataset.trainSize)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.testShard(
                new DatasetSpec(DatasetSpec.CIFAR10, 25, 7, 1L), root, 5, 3));
    }

    @Test
    void aMissingDirectoryIsNamedWithTheConfigurationKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.trainSplit(
                new DatasetSpec(DatasetSpec.SVHN, 10, 10, 1L), null));
        assertTrue(e.getMessage().contains("robustlab.data-dir"), e.getMessage());
        IllegalArgumentException given = assertThrows(IllegalArgumentException.class, () -> Datasets.trainSplit(
                new DatasetSpec(DatasetSpec.CIFAR100, 10, 10, 1L), root));
        assertTrue(given.getMessage().contains(root.resolve("cifar100").toString()), given.getMessage());
    }

    @Test
    void fashionMnistFallsBackOnDebiansDirectory() {
        Path debian = ImageDatasets.defaultDirectory(DatasetSpec.FASHION_MNIST).orElseThrow();
        assumeTrue(Files.isDirectory(debian), "Debian's dataset-fashion-mnist is not installed");
        DatasetSpec spec = new DatasetSpec(DatasetSpec.FASHION_MNIST, 300, 50, 1L);
        assertEquals(debian, Datasets.directory(DatasetSpec.FASHION_MNIST, root));
        LabeledExamples train = Datasets.trainSplit(spec, root);
        assertEquals(300, train.size());
        assertEquals(ImageDatasets.load(DatasetSpec.FASHION_MNIST, ImageDatasets.TRAIN, debian, 299, 1).label(0),
                train.label(299));
    }
}
