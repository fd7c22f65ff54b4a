package dev.robustlab.ml.data;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.ml.model.Normalization;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the run spec knows of each dataset is what the readers read, and every image dataset has its statistics. */
class DatasetFactsTest {

    @Test
    void contractsAndReadersAgree() {
        assertEquals(List.copyOf(DatasetSpec.NAMES.subList(1, DatasetSpec.NAMES.size())), ImageDatasets.NAMES);
        for (String name : ImageDatasets.NAMES) {
            DatasetSpec.Facts facts = DatasetSpec.facts(name).orElseThrow();
            List<Integer> shape = new ArrayList<>();
            for (long d : ImageDatasets.exampleShape(name).getShape()) {
                shape.add((int) d);
            }
            assertEquals(facts.exampleShape(), shape, name);
            assertEquals(facts.classes(), ImageDatasets.classes(name), name);
            Normalization statistics = Normalization.forDataset(name).orElseThrow();
            assertEquals(shape.get(0), statistics.channels(), name);
        }
        assertTrue(Normalization.forDataset(DatasetSpec.TOY_CIRCLES).isEmpty());
    }

    /** Fashion-MNIST's statistics are its training images' mean and (population) std, to the 4 digits written. */
    @Test
    void fashionMnistStatisticsAreThoseOfItsTrainingImages() {
        Path debian = ImageDatasets.defaultDirectory(DatasetSpec.FASHION_MNIST).orElseThrow();
        assumeTrue(Files.isDirectory(debian), "Debian's dataset-fashion-mnist is not installed");
        LabeledExamples train = ImageDatasets.load(DatasetSpec.FASHION_MNIST, ImageDatasets.TRAIN, debian);
        assertEquals(60_000, train.size());
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int i = 0; i < train.size(); i++) {
            for (float v : train.features(i)) {
                sum += v;
                squares += (double) v * v;
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(squares / n - mean * mean);
        Normalization statistics = Normalization.forDataset(DatasetSpec.FASHION_MNIST).orElseThrow();
        assertEquals(statistics.mean()[0], mean, 5e-5);
        assertEquals(statistics.std()[0], std, 5e-5);
    }
}
