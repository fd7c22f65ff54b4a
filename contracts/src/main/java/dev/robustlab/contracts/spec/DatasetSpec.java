package dev.robustlab.contracts.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The dataset to train and evaluate on.
 *
 * <table>
 * <caption>datasets</caption>
 * <tr><th>name</th><th>example</th><th>classes</th><th>train / test split</th></tr>
 * <tr><td>toy-circles</td><td>(3)</td><td>2</td><td>generated: trainSize / testSize (default 2000 / 1000)</td></tr>
 * <tr><td>fashion-mnist</td><td>(1, 28, 28)</td><td>10</td><td>60000 / 10000</td></tr>
 * <tr><td>cifar10</td><td>(3, 32, 32)</td><td>10</td><td>50000 / 10000</td></tr>
 * <tr><td>cifar100</td><td>(3, 32, 32)</td><td>100</td><td>50000 / 10000</td></tr>
 * <tr><td>svhn</td><td>(3, 32, 32)</td><td>10</td><td>73257 / 26032</td></tr>
 * </table>
 * The image datasets are read from their published files in the workers' data directory (trainer-service and
 * attack-service: {@code robustlab.data-dir}), not from the spec: where the files lie is the deployment's business.
 *
 * @param name      dataset id; {@code toy-circles} is the PIAT paper's toy study (section III-A)
 * @param trainSize training examples: the size of the generated split, or for an image dataset the first
 *                  {@code trainSize} examples of its train split (default: all of it)
 * @param testSize  test examples: the size of the generated split, or the first {@code testSize} examples of an image
 *                  dataset's test split (default: all of it)
 * @param seed      seed of the generated data, independent of the run seed so that every run of a study sees the
 *                  same examples (not used by image datasets)
 */
public record DatasetSpec(String name, Integer trainSize, Integer testSize, Long seed) {
    public static final String TOY_CIRCLES = "toy-circles";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";
    public static final String CIFAR100 = "cifar100";
    public static final String SVHN = "svhn";
    /** Every dataset id, in the order they are listed to users. */
    public static final List<String> NAMES;
    private static final int GENERATED_TRAIN_SIZE = 2000;
    private static final int GENERATED_TEST_SIZE = 1000;
    private static final Map<String, Facts> FACTS;

    static {
        Map<String, Facts> facts = new LinkedHashMap<>();
        facts.put(TOY_CIRCLES, new Facts(2, List.of(3), null, null));
        facts.put(FASHION_MNIST, new Facts(10, List.of(1, 28, 28), 60_000, 10_000));
        facts.put(CIFAR10, new Facts(10, List.of(3, 32, 32), 50_000, 10_000));
        facts.put(CIFAR100, new Facts(100, List.of(3, 32, 32), 50_000, 10_000));
        facts.put(SVHN, new Facts(10, List.of(3, 32, 32), 73_257, 26_032));
        FACTS = java.util.Collections.unmodifiableMap(facts);
        NAMES = List.copyOf(facts.keySet());
    }

    /**
     * What a run spec needs to know of a dataset.
     *
     * @param classes       number of classes
     * @param exampleShape  shape of one example, channels first for images
     * @param trainExamples size of the published train split; null for a generated dataset
     * @param testExamples  size of the published test split; null for a generated dataset
     */
    public record Facts(int classes, List<Integer> exampleShape, Integer trainExamples, Integer testExamples) {
        /** Whether the examples are generated (sizes chosen by the spec) rather than read from files. */
        public boolean generated() {
            return trainExamples == null;
        }

        /** Whether examples are images {@code (channels, height, width)}. */
        public boolean image() {
            return exampleShape.size() == 3;
        }

        /** The shape as the docs write it, e.g. {@code 3×32×32}. */
        public String shapeText() {
            return String.join("×", exampleShape.stream().map(String::valueOf).toList());
        }
    }

    /** What dataset {@code name} is; empty for an unknown dataset. */
    public static Optional<Facts> facts(String name) {
        return Optional.ofNullable(name == null ? null : FACTS.get(name));
    }

    /** How many classes dataset {@code name} has; empty for an unknown dataset. */
    public static OptionalInt classes(String name) {
        return facts(name).map(f -> OptionalInt.of(f.classes())).orElse(OptionalInt.empty());
    }

    DatasetSpec withDefaults() {
        Facts f = facts(name).orElse(null);
        boolean image = f != null && !f.generated();
        return new DatasetSpec(name,
                trainSize != null ? trainSize : image ? f.trainExamples() : GENERATED_TRAIN_SIZE,
                testSize != null ? testSize : image ? f.testExamples() : GENERATED_TEST_SIZE,
                seed == null ? 9551L : seed);
    }
}
