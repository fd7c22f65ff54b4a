package dev.robustlab.ml.data;

import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.ml.engine.Seeds;

import java.util.Set;

/**
 * Builds the splits a {@link DatasetSpec} names. Generated datasets draw the train and test splits from independent
 * streams of {@link DatasetSpec#seed()}, so the test split does not depend on the size of the train split and
 * {@link #testSplit(DatasetSpec)} gives the same examples as {@link #load(DatasetSpec)}.
 */
public final class Datasets {
    /** Dataset ids this build knows. */
    public static final Set<String> KNOWN = Set.of(DatasetSpec.TOY_CIRCLES);

    private Datasets() {
    }

    /**
     * Both splits of {@code spec}.
     *
     * @throws IllegalArgumentException on an unknown dataset or a missing size or seed
     */
    public static DatasetSplits load(DatasetSpec spec) {
        check(spec);
        return new DatasetSplits(split(spec, "train", spec.trainSize()), split(spec, "test", spec.testSize()));
    }

    /** The test split of {@code spec} alone; the same examples as {@code load(spec).test()}. */
    public static LabeledExamples testSplit(DatasetSpec spec) {
        check(spec);
        return split(spec, "test", spec.testSize());
    }

    private static LabeledExamples split(DatasetSpec spec, String split, int size) {
        return ToyCircles.defaults().generate(size, Seeds.stream(spec.seed(), spec.name() + "/" + split));
    }

    private static void check(DatasetSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("dataset spec is required");
        }
        if (!KNOWN.contains(spec.name())) {
            throw new IllegalArgumentException("unknown dataset '" + spec.name() + "'; known: " + KNOWN);
        }
        if (spec.trainSize() == null || spec.trainSize() < 1 || spec.testSize() == null || spec.testSize() < 1
                || spec.seed() == null) {
            throw new IllegalArgumentException("dataset " + spec.name() + " needs trainSize ≥ 1, testSize ≥ 1 and a "
                    + "seed (apply RunSpec.withDefaults()), got " + spec);
        }
    }
}
