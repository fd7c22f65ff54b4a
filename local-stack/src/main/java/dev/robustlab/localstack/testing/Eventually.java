package dev.robustlab.localstack.testing;

import java.time.Duration;

/** Retries an assertion until it passes or the time is up (then its last failure is thrown). */
public final class Eventually {
    private Eventually() {
    }

    /** Runs {@code assertion} every 200 ms until it throws nothing, for at most {@code timeout}. */
    public static void within(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
