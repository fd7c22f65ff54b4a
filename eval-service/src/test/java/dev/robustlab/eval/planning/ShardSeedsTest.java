package dev.robustlab.eval.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ShardSeedsTest {

    @Test
    void fnvMatchesTheReferenceVectors() {
        // FNV-1a 64 test vectors (Fowler, Noll, Vo): "" and "a".
        assertEquals(0xcbf29ce484222325L, ShardSeeds.fnv1a(""));
        assertEquals(0xaf63dc4c8601ec8cL, ShardSeeds.fnv1a("a"));
    }

    @Test
    void mixIsSplitMix64sFinaliser() {
        // SplitMix64 with state 0: the first output is mix(0x9E3779B97F4A7C15) = 0xE220A8397B1DCDAF.
        assertEquals(0xE220A8397B1DCDAFL, ShardSeeds.mix(0x9E3779B97F4A7C15L));
        assertEquals(0L, ShardSeeds.mix(0L));
    }

    @Test
    void everyInputChangesTheSeed() {
        long base = ShardSeeds.seed(1, 1, "pgd-20", 0);
        assertNotEquals(base, ShardSeeds.seed(2, 1, "pgd-20", 0));
        assertNotEquals(base, ShardSeeds.seed(1, 2, "pgd-20", 0));
        assertNotEquals(base, ShardSeeds.seed(1, 1, "cw-inf", 0));
        assertNotEquals(base, ShardSeeds.seed(1, 1, "pgd-20", 1));
    }

    @Test
    void theFormulaIsPinned() {
        // Pinned so that a change of the derivation (and so of every evaluation's random starts) is deliberate.
        long h = ShardSeeds.mix(42L ^ (3 * 0x9E3779B97F4A7C15L));
        h = ShardSeeds.mix(h ^ ShardSeeds.fnv1a("pgd-20"));
        h = ShardSeeds.mix(h ^ 5);
        assertEquals(h & Long.MAX_VALUE, ShardSeeds.seed(42L, 3, "pgd-20", 5));
    }
}
