package dev.robustlab.ml.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams derived from one seed and a purpose, e.g. {@code (runSeed, "init")}.
 *
 * <p>Randomness of this library is drawn in Java, never from the engine's global generator: the same seed gives
 * the same numbers whatever else the process does, on every thread and every JDK ({@link SplittableRandom}'s
 * algorithm is specified).
 */
public final class Seeds {
    private Seeds() {
    }

    /** A stream for {@code purpose}; different purposes give independent streams. */
    public static SplittableRandom stream(long seed, String purpose) {
        long h = 0xcbf29ce484222325L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(mix(seed ^ mix(h)));
    }

    /** A standard normal draw by the Box–Muller transform, stable across JDK versions. */
    public static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // in (0, 1]
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
