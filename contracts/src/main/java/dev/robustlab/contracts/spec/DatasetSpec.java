package dev.robustlab.contracts.spec;

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

    DatasetSpec withDefaults() {
        return new DatasetSpec(name, trainSize == null ? 2000 : trainSize, testSize == null ? 1000 : testSize,
                seed == null ? 9551L : seed);
    }
}
