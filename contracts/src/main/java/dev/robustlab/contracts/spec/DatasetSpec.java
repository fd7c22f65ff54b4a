package dev.robustlab.contracts.spec;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The dataset to train and evaluate on.
 *
 * @param name      dataset id; {@code toy-circles} is the PIAT paper's toy study (section III-A)
 * @param trainSize number of training examples (generated datasets only)
 * @param testSize  number of test examples (generated datasets only)
 * @param seed      seed of the generated data, independent of the run seed so that every run of a study sees the
 *                  same examples
 */
public record DatasetSpec(String name, Integer trainSize, Integer testSize, Long seed) {
    public static final String TOY_CIRCLES = "toy-circles";
    private static final Map<String, Integer> CLASSES = Map.of(TOY_CIRCLES, 2);

    /** How many classes dataset {@code name} has; empty for an unknown dataset. */
    public static OptionalInt classes(String name) {
        Integer k = name == null ? null : CLASSES.get(name);
        return k == null ? OptionalInt.empty() : OptionalInt.of(k);
    }

    DatasetSpec withDefaults() {
        return new DatasetSpec(name, trainSize == null ? 2000 : trainSize, testSize == null ? 1000 : testSize,
                seed == null ? 9551L : seed);
    }
}
