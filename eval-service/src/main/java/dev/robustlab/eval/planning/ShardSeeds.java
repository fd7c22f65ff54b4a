package dev.robustlab.eval.planning;

import java.nio.charset.StandardCharsets;

/**
 * Seeds of attack random starts, derived from the run seed so that the same job always attacks from the same start
 * and different jobs do not share one. With {@code mix} the SplitMix64 finaliser and {@code fnv} the 64-bit FNV-1a
 * hash of the attack id's UTF-8 bytes:
 * <pre>
 *   h = mix(runSeed ^ (epoch · 0x9E3779B97F4A7C15))
 *   h = mix(h ^ fnv(attack))
 *   h = mix(h ^ shardIndex)
 *   seed = h &amp; 0x7FFFFFFFFFFFFFFF      (non-negative, so workers may narrow it safely)
 * </pre>
 * Changing this formula changes every evaluation's random starts: treat it as part of the results' provenance.
 */
public final class ShardSeeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ShardSeeds() {
    }

    /** The seed of job (epoch, attack, shardIndex) of a run seeded with {@code runSeed}. */
    public static long seed(long runSeed, int epoch, String attack, int shardIndex) {
        long h = mix(runSeed ^ (epoch * GOLDEN));
        h = mix(h ^ fnv1a(attack));
        h = mix(h ^ shardIndex);
        return h & Long.MAX_VALUE;
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection that spreads every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long fnv1a(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }
}
