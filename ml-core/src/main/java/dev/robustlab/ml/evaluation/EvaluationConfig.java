package dev.robustlab.ml.evaluation;

import dev.robustlab.ml.attack.Attacks;
import dev.robustlab.ml.attack.Norm;
import dev.robustlab.ml.attack.autoattack.AutoAttack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an evaluation of a sequence of attacks over an index range of a test split is: everything its flags depend
 * on. Two evaluations with equal configurations give equal flags; a state file resumes only an evaluation of its
 * own configuration, and shards merge only when they agree on everything but the range.
 *
 * @param modelSha256 SHA-256 of the model file (hex), the model's identity
 * @param dataset     the dataset id, e.g. {@code toy-circles}
 * @param offset      the first example, an index of the test split
 * @param limit       how many examples, from {@code offset}
 * @param suite       an AutoAttack version ({@code standard}, {@code plus}, {@code rand}), or null when the attacks
 *                    are a list of {@link Attacks#KNOWN} ids
 * @param attacks     the attack ids in the order they run: the suite's components, or the listed ids
 * @param norm        {@code linf} or {@code l2}
 * @param epsilon     radius ε
 * @param stepSize    step size α of the fixed-step attacks ({@code pgd-20}, {@code cw-inf}, {@code i-fgsm},
 *                    {@code mi-fgsm}); default ε/4
 * @param seed        seed of all randomness (random starts, Square's windows)
 * @param batchSize   B: batch k covers test examples [k·B, (k+1)·B) ∩ [offset, offset + limit)
 */
public record EvaluationConfig(String modelSha256, String dataset, int offset, int limit, String suite,
                               List<String> attacks, String norm, double epsilon, double stepSize, long seed,
                               int batchSize) {
    /** The suites {@link Builder#optSuite} knows: AutoAttack's versions. */
    public static final List<String> SUITES = List.of(AutoAttack.STANDARD, AutoAttack.PLUS, AutoAttack.RAND);

    public EvaluationConfig {
        attacks = List.copyOf(attacks);
    }

    /** A builder: {@code set*} for what is required, {@code opt*} for what has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** One past the last example. */
    public int end() {
        return offset + limit;
    }

    /** This configuration over another range (a shard of it, or the whole of which it is a shard). */
    public EvaluationConfig withRange(int offset, int limit) {
        return new EvaluationConfig(modelSha256, dataset, offset, limit, suite, attacks, norm, epsilon, stepSize,
                seed, batchSize);
    }

    /**
     * The fields, by the names the state file and the command's JSON use, in a stable order; {@code offset} and
     * {@code limit} last.
     */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model_sha256", modelSha256);
        fields.put("dataset", dataset);
        fields.put("suite", suite);
        fields.put("attacks", attacks);
        fields.put("norm", norm);
        fields.put("eps", epsilon);
        fields.put("step_size", stepSize);
        fields.put("seed", seed);
        fields.put("batch_size", batchSize);
        fields.put("offset", offset);
        fields.put("limit", limit);
        return fields;
    }

    /**
     * The name (as in {@link #fields()}) of the first field in which {@code other} differs from this configuration,
     * or null when they are equal; with {@code ignoreRange} offset and limit are not compared.
     */
    public String firstDifference(EvaluationConfig other, boolean ignoreRange) {
        Map<String, Object> mine = fields();
        Map<String, Object> theirs = other.fields();
        for (Map.Entry<String, Object> field : mine.entrySet()) {
            String name = field.getKey();
            if (ignoreRange && (name.equals("offset") || name.equals("limit"))) {
                continue;
            }
            if (!Objects.equals(field.getValue(), theirs.get(name))) {
                return name;
            }
        }
        return null;
    }

    /** The attacks as one AutoAttack-style composition: the suite's version, or a custom one of the listed ids. */
    AutoAttack sequence() {
        AutoAttack.Builder builder = AutoAttack.builder().setEpsilon(epsilon).optNorm(Norm.of(norm));
        if (suite != null) {
            return builder.optVersion(suite).build();
        }
        for (String id : attacks) {
            builder.addAttack(Attacks.evaluation(id, norm, epsilon, stepSize));
        }
        return builder.build();
    }

    /** SHA-256 of a file, as lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = digest();
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to fingerprint it", e);
        }
    }

    /** SHA-256 of bytes, as lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Builds an {@link EvaluationConfig}. */
    public static final class Builder {
        private String modelSha256;
        private String dataset;
        private int offset = -1;
        private int limit = -1;
        private String suite;
        private List<String> attacks;
        private String norm = Norm.LINF.id();
        private double epsilon = Double.NaN;
        private double stepSize = Double.NaN;
        private long seed;
        private int batchSize = RobustnessEvaluator.DEFAULT_BATCH_SIZE;

        private Builder() {
        }

        /** The model's identity, see {@link #sha256(Path)}. */
        public Builder setModelSha256(String modelSha256) {
            this.modelSha256 = modelSha256;
            return this;
        }

        /** The dataset id. */
        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Test examples [offset, offset + limit). */
        public Builder setRange(int offset, int limit) {
            this.offset = offset;
            this.limit = limit;
            return this;
        }

        /** Radius ε. */
        public Builder setEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** An AutoAttack version of {@link #SUITES}; the default when no attacks are listed is {@code standard}. */
        public Builder optSuite(String suite) {
            this.suite = suite;
            return this;
        }

        /** Attack ids of {@link Attacks#KNOWN}, run in this order; excludes {@link #optSuite}. */
        public Builder optAttacks(List<String> attacks) {
            this.attacks = attacks == null ? null : List.copyOf(attacks);
            return this;
        }

        /** {@code linf} (default) or {@code l2}. */
        public Builder optNorm(String norm) {
            this.norm = norm;
            return this;
        }

        /** Step size α of the fixed-step attacks (default ε/4). */
        public Builder optStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Seed of all randomness (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Examples per batch (default {@link RobustnessEvaluator#DEFAULT_BATCH_SIZE}). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field: missing model or dataset, a bad range, both or an
         *                                  unknown suite, an unknown attack or norm, ε or α not positive, B &lt; 1
         */
        public EvaluationConfig build() {
            if (modelSha256 == null || modelSha256.isBlank()) {
                throw new IllegalArgumentException("modelSha256 is required (EvaluationConfig.sha256(file))");
            }
            if (dataset == null || dataset.isBlank()) {
                throw new IllegalArgumentException("dataset is required");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be ≥ 0, got " + offset);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be ≥ 1, got " + limit);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
            }
            Norm.of(norm);
            double alpha = Double.isNaN(stepSize) ? epsilon / 4 : stepSize;
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("stepSize must be a positive number, got " + stepSize);
            }
            if (suite != null && attacks != null) {
                throw new IllegalArgumentException("give a suite or a list of attacks, not both (suite " + suite
                        + ", attacks " + attacks + ")");
            }
            List<String> ids = attacks;
            String version = suite;
            if (ids == null) {
                version = suite == null ? AutoAttack.STANDARD : suite;
                if (!SUITES.contains(version)) {
                    throw new IllegalArgumentException("unknown suite '" + version + "'; known: " + SUITES);
                }
            } else {
                if (ids.isEmpty()) {
                    throw new IllegalArgumentException("attacks must name at least one attack; known: "
                            + Attacks.KNOWN);
                }
                for (String id : ids) {
                    if (!Attacks.KNOWN.contains(id)) {
                        throw new IllegalArgumentException("unknown attack '" + id + "'; known: " + Attacks.KNOWN);
                    }
                }
                if (ids.stream().distinct().count() != ids.size()) {
                    throw new IllegalArgumentException("attacks lists an attack twice: " + ids);
                }
            }
            EvaluationConfig config = new EvaluationConfig(modelSha256, dataset, offset, limit, version,
                    ids == null ? List.of() : ids, norm, epsilon, alpha, seed, batchSize);
            // builds the attacks once, so that a bad combination (an id in an unsupported norm) is refused here
            AutoAttack sequence = config.sequence();
            return version == null ? config : new EvaluationConfig(modelSha256, dataset, offset, limit, version,
                    sequence.componentIds(), norm, epsilon, alpha, seed, batchSize);
        }
    }
}
