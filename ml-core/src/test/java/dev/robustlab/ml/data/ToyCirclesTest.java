package dev.robustlab.ml.data;

import dev.robustlab.contracts.spec.DatasetSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyCirclesTest {

    @Test
    void generatesTheDocumentedDistributionDeterministically() {
        DatasetSpec spec = new DatasetSpec(DatasetSpec.TOY_CIRCLES, 4000, 1000, 9551L);
        DatasetSplits splits = Datasets.load(spec);
        DatasetSplits again = Datasets.load(spec);
        assertEquals(4000, splits.train().size());
        assertEquals(1000, splits.test().size());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(splits.train().features(i), again.train().features(i), 0f);
        }
        ToyCircles toy = ToyCircles.defaults();
        double[] radiusSum = new double[2];
        double heightSum = 0;
        int[] counts = new int[2];
        LabeledExamples train = splits.train();
        for (int i = 0; i < train.size(); i++) {
            float[] x = train.features(i);
            for (float v : x) {
                assertTrue(v >= 0f && v <= 1f, "features in [0,1]");
            }
            int y = train.label(i);
            counts[y]++;
            radiusSum[y] += Math.hypot(x[0] - 0.5, x[1] - 0.5);
            heightSum += x[2];
        }
        assertEquals(2000, counts[0], "balanced classes");
        assertEquals(toy.innerRadius(), radiusSum[0] / counts[0], 0.005, "class 0 on the inner circle");
        assertEquals(toy.outerRadius(), radiusSum[1] / counts[1], 0.005, "class 1 on the outer circle");
        assertEquals(0.5, heightSum / train.size(), 0.01, "third feature centred");
    }

    @Test
    void testSplitDoesNotDependOnTheTrainSplit() {
        LabeledExamples a = Datasets.testSplit(new DatasetSpec(DatasetSpec.TOY_CIRCLES, 100, 300, 7L));
        LabeledExamples b = Datasets.load(new DatasetSpec(DatasetSpec.TOY_CIRCLES, 5000, 300, 7L)).test();
        LabeledExamples other = Datasets.testSplit(new DatasetSpec(DatasetSpec.TOY_CIRCLES, 100, 300, 8L));
        for (int i = 0; i < 300; i++) {
            assertArrayEquals(a.features(i), b.features(i), 0f);
        }
        assertTrue(a.features(0)[0] != other.features(0)[0], "another seed, other examples");
    }

    @Test
    void refusesUnknownOrIncompleteSpecs() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.load(new DatasetSpec("mnist", 1, 1, 1L)));
        assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(new DatasetSpec(DatasetSpec.TOY_CIRCLES, null, 1, 1L)));
        assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(new DatasetSpec(DatasetSpec.TOY_CIRCLES, 1, 1, null)));
    }
}
