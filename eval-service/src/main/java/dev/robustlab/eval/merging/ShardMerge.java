package dev.robustlab.eval.merging;

import java.util.BitSet;
import java.util.Collection;
import java.util.Optional;

/**
 * Merges the shards of one (run, epoch, attack). With shards s = 0..n-1 holding m_s examples, c_s of them correct
 * without attack and r_s still correct under attack:
 * <pre>
 *   clean accuracy  = Σ c_s / Σ m_s
 *   robust accuracy = Σ r_s / Σ m_s
 * </pre>
 * which equals the accuracy measured on the whole set at once, since correctness is a per-example flag.
 */
public final class ShardMerge {

    private ShardMerge() {
    }

    /**
     * The merged accuracy once all {@code shardCount} shards (indices 0..shardCount-1, each once) are present;
     * empty while some are missing.
     */
    public static Optional<AttackAccuracy> merge(Collection<ShardResult> shards, int shardCount) {
        BitSet present = new BitSet(shardCount);
        int examples = 0;
        int correct = 0;
        int robust = 0;
        for (ShardResult s : shards) {
            if (s.shardIndex() < 0 || s.shardIndex() >= shardCount) {
                throw new IllegalArgumentException("shard " + s.shardIndex() + " is outside 0.." + (shardCount - 1));
            }
            if (present.get(s.shardIndex())) {
                throw new IllegalArgumentException("shard " + s.shardIndex() + " is given twice");
            }
            present.set(s.shardIndex());
            examples += s.examples();
            correct += s.correctClean();
            robust += s.robust();
        }
        if (present.cardinality() < shardCount) {
            return Optional.empty();
        }
        return Optional.of(AttackAccuracy.of(examples, correct, robust));
    }
}
