package dev.robustlab.ml.data;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.robustlab.ml.data.FashionMnistTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageDatasetsTest {
    @Test
    void describesEachDataset() {
        assertEquals(List.of("fashion-mnist", "cifar10", "cifar100", "svhn"), ImageDatasets.NAMES);
        assertEquals(new Shape(1, 28, 28), ImageDatasets.exampleShape("fashion-mnist"));
        assertEquals(new Shape(3, 32, 32), ImageDatasets.exampleShape("svhn"));
        assertEquals(100, ImageDatasets.classes("cifar100"));
        assertEquals(10, ImageDatasets.classes("cifar10"));
        assertEquals(Optional.of(Path.of("/usr/share/datasets/fashion-mnist")),
                ImageDatasets.defaultDirectory("fashion-mnist"));
        assertEquals(Optional.empty(), ImageDatasets.defaultDirectory("cifar10"));
    }

    @Test
    void refusesUnknownNamesSplitsAndMissingDirectories() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ImageDatasets.load("mnist", "test", Path.of("."))), "unknown image dataset 'mnist'", "cifar100");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ImageDatasets.load("svhn", "extra", Path.of("."))), "unknown split 'extra'", "[train, test]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> ImageDatasets.load("svhn", "test", null)), "svhn has no default directory", "--data-dir");
    }
}
