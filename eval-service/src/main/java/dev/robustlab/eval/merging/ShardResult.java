package dev.robustlab.eval.merging;

import dev.robustlab.contracts.event.RobustnessMeasured;

/**
 * The counts of one shard of one (run, epoch, attack).
 *
 * @param shardIndex   0-based shard
 * @param offset       index of the shard's first example
 * @param examples     examples attacked
 * @param correctClean examples classified correctly without attack
 * @param robust       examples still correct after the attack
 */
public record ShardResult(int shardIndex, int offset, int examples, int correctClean, int robust) {

    /** The counts of {@code measured}. */
    public static ShardResult of(RobustnessMeasured measured) {
        return new ShardResult(measured.shardIndex(), measured.offset(), measured.examples(),
                measured.correctClean(), measured.robust());
    }
}
