package dev.robustlab.eval.merging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardMergeTest {

    @Test
    void incompleteUntilEveryShardIsIn() {
        assertEquals(Optional.empty(), ShardMerge.merge(List.of(new ShardResult(0, 0, 300, 250, 120)), 2));
    }

    @Test
    void accuracyIsWeightedByExamples() {
        // shards of 300, 300, 300, 100 examples: clean (250+240+260+90)/1000 = 0.84, robust (120+130+110+40)/1000 = 0.4
        AttackAccuracy a = ShardMerge.merge(List.of(
                new ShardResult(2, 600, 300, 260, 110),
                new ShardResult(0, 0, 300, 250, 120),
                new ShardResult(3, 900, 100, 90, 40),
                new ShardResult(1, 300, 300, 240, 130)), 4).orElseThrow();
        assertEquals(1000, a.examples());
        assertEquals(840, a.correctClean());
        assertEquals(400, a.robust());
        assertEquals(0.84, a.cleanAccuracy(), 1e-12);
        assertEquals(0.40, a.robustAccuracy(), 1e-12);
    }

    @Test
    void notTheMeanOfShardAccuracies() {
        // 3/4 and 0/1: the mean of accuracies would be 0.375, the accuracy on the 5 examples is 3/5.
        AttackAccuracy a = ShardMerge.merge(List.of(new ShardResult(0, 0, 4, 3, 3),
                new ShardResult(1, 4, 1, 0, 0)), 2).orElseThrow();
        assertEquals(0.6, a.robustAccuracy(), 1e-12);
    }

    @Test
    void refusesShardsOutsideTheCountOrTwice() {
        assertThrows(IllegalArgumentException.class,
                () -> ShardMerge.merge(List.of(new ShardResult(2, 0, 1, 1, 1)), 2));
        assertThrows(IllegalArgumentException.class, () -> ShardMerge.merge(List.of(
                new ShardResult(0, 0, 1, 1, 1), new ShardResult(0, 0, 1, 1, 1)), 2));
    }

    @Test
    void noExamplesMeansZeroNotNaN() {
        AttackAccuracy a = AttackAccuracy.of(0, 0, 0);
        assertTrue(a.cleanAccuracy() == 0 && a.robustAccuracy() == 0);
    }
}
