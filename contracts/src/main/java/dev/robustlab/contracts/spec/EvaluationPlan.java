package dev.robustlab.contracts.spec;

import java.util.List;

/**
 * Which attacks measure which epochs, on how many test examples, cut into shards of how many.
 *
 * @param attacks   attack ids: {@code pgd-20} (PGD, 20 steps, CE loss) and {@code cw-inf} (PGD-20 on the CW margin
 *                  loss); clean accuracy is measured by every job
 * @param epochs    the 1-based epochs to evaluate; empty or absent means every {@code every}-th epoch
 * @param every     evaluate every this many epochs when {@code epochs} is empty (the last epoch always is)
 * @param examples  how many test examples, from the first
 * @param shardSize examples per attack job
 * @param stepSize  step size of the evaluation attacks (default ε/4: the papers' 2/255 at ε = 8/255)
 */
public record EvaluationPlan(List<String> attacks, List<Integer> epochs, Integer every, Integer examples,
                             Integer shardSize, Double stepSize) {
    public static final String PGD_20 = "pgd-20";
    public static final String CW_INF = "cw-inf";
    public static final List<String> KNOWN_ATTACKS = List.of(PGD_20, CW_INF);

    EvaluationPlan withDefaults(int testSize, double epsilon) {
        return new EvaluationPlan(attacks == null ? List.of(PGD_20, CW_INF) : attacks,
                epochs == null ? List.of() : epochs, every == null ? 1 : every,
                examples == null ? testSize : examples, shardSize == null ? 250 : shardSize,
                stepSize == null ? epsilon / 4 : stepSize);
    }

    /** Whether epoch {@code epoch} (1-based) of a run of {@code totalEpochs} is evaluated. */
    public boolean covers(int epoch, int totalEpochs) {
        if (!epochs.isEmpty()) {
            return epochs.contains(epoch);
        }
        return epoch == totalEpochs || epoch % every == 0;
    }

    /** Number of attack jobs per attack and epoch. */
    public int shardCount() {
        return (examples + shardSize - 1) / shardSize;
    }
}
