package dev.robustlab.ml.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The outcome of an evaluation over test examples [offset, offset + limit) of its configuration: per example, in
 * dataset order, whether it is classified correctly clean, whether it is still robust after each attack of the
 * sequence, and whether it is robust after all of them.
 *
 * <p>Every flag is a per-example fact, so results of disjoint shards concatenate: {@link #merge} of shards that
 * cover a range and meet at multiples of the batch size is the evaluation of the whole range, flag for flag.
 *
 * @param config      the configuration, its range included
 * @param clean       per example, correct without attack
 * @param robustAfter per attack of {@code config.attacks()}, in order, per example: correct clean and broken by
 *                    neither this attack nor an earlier one (a skipped attack leaves the flags as they were)
 * @param robust      per example, robust after every attack (the last entry of {@code robustAfter})
 * @param skipped     attacks that did not run and why, e.g. {@code fab-t not implemented, skipped}; each line once
 * @param warnings    sanity-check findings, each prefixed with the batch it concerns ({@code examples [a, b): })
 * @param seconds     seconds spent attacking, summed over batches (and over sessions of a resumed run)
 */
public record EvaluationResult(EvaluationConfig config, boolean[] clean, List<boolean[]> robustAfter,
                               boolean[] robust, List<String> skipped, List<String> warnings, double seconds) {

    public EvaluationResult {
        robustAfter = List.copyOf(robustAfter);
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
        if (clean.length != config.limit() || robust.length != config.limit()
                || robustAfter.size() != config.attacks().size()
                || robustAfter.stream().anyMatch(flags -> flags.length != config.limit())) {
            throw new IllegalArgumentException("flags do not match the configuration: " + config.limit()
                    + " examples and " + config.attacks().size() + " attacks expected");
        }
    }

    /** Examples evaluated. */
    public int examples() {
        return clean.length;
    }

    /** Share of examples classified correctly clean. */
    public double cleanAccuracy() {
        return share(clean);
    }

    /** Share of examples robust after every attack. */
    public double robustAccuracy() {
        return share(robust);
    }

    /** Share of examples still robust after attack {@code index} of {@code config.attacks()}. */
    public double robustAccuracyAfter(int index) {
        return share(robustAfter.get(index));
    }

    /**
     * The result of the whole range that {@code shards} cover, flags concatenated in dataset order.
     *
     * @param shards results of one configuration over ranges that, sorted, follow one another without gap or
     *               overlap and meet at multiples of the batch size (so each shard's batches are the whole's)
     * @throws IllegalArgumentException when there is no shard, the shards differ in anything but their range
     *                                  (naming the field), overlap, leave a gap or meet inside a batch
     */
    public static EvaluationResult merge(List<EvaluationResult> shards) {
        if (shards == null || shards.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge: no shard given");
        }
        List<EvaluationResult> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparingInt(r -> r.config().offset()));
        EvaluationConfig first = sorted.get(0).config();
        int attacks = first.attacks().size();
        int end = first.offset();
        for (EvaluationResult shard : sorted) {
            EvaluationConfig config = shard.config();
            String difference = first.firstDifference(config, true);
            if (difference != null) {
                throw new IllegalArgumentException("shards of different evaluations cannot be merged: " + difference
                        + " is " + first.fields().get(difference) + " in the shard at offset " + first.offset()
                        + " and " + config.fields().get(difference) + " in the shard at offset " + config.offset());
            }
            if (config.offset() < end) {
                throw new IllegalArgumentException("shards overlap: [" + config.offset() + ", " + config.end()
                        + ") starts before the previous shard ends at " + end);
            }
            if (config.offset() > end) {
                throw new IllegalArgumentException("shards leave a gap: examples [" + end + ", " + config.offset()
                        + ") are in none; evaluate them and merge again");
            }
            if (config.offset() != first.offset() && config.offset() % first.batchSize() != 0) {
                throw new IllegalArgumentException("shards meet at example " + config.offset() + ", inside a batch "
                        + "of " + first.batchSize() + ": shard bounds must be multiples of the batch size for the "
                        + "merge to equal an evaluation of the whole range");
            }
            end = config.end();
        }
        int total = end - first.offset();
        boolean[] clean = new boolean[total];
        boolean[] robust = new boolean[total];
        List<boolean[]> after = new ArrayList<>();
        for (int k = 0; k < attacks; k++) {
            after.add(new boolean[total]);
        }
        LinkedHashSet<String> skipped = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        double seconds = 0;
        for (EvaluationResult shard : sorted) {
            int at = shard.config().offset() - first.offset();
            System.arraycopy(shard.clean(), 0, clean, at, shard.examples());
            System.arraycopy(shard.robust(), 0, robust, at, shard.examples());
            for (int k = 0; k < attacks; k++) {
                System.arraycopy(shard.robustAfter().get(k), 0, after.get(k), at, shard.examples());
            }
            skipped.addAll(shard.skipped());
            warnings.addAll(shard.warnings());
            seconds += shard.seconds();
        }
        return new EvaluationResult(first.withRange(first.offset(), total), clean, after, robust,
                List.copyOf(skipped), warnings, seconds);
    }

    private static double share(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return flags.length == 0 ? 0 : (double) count / flags.length;
    }
}
