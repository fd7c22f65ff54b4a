package dev.robustlab.service.database;

import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries work that failed on the database ({@link StorageException}) a few times (about 15 s in all) before
 * giving up, so that a short database outage delays events instead of sending them to the dead-letter topic.
 * Anything else fails at once.
 */
public final class Transient {
    private static final Logger LOG = Logger.getLogger(Transient.class);
    private static final long[] BACKOFF_MILLIS = {500, 1_000, 2_000, 4_000, 8_000};

    private Transient() {
    }

    /** The result of {@code work}, retried while it throws {@link StorageException}; {@code what} names it. */
    public static <T> T retry(String what, Supplier<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return work.get();
            } catch (StorageException e) {
                if (attempt >= BACKOFF_MILLIS.length) {
                    throw e;
                }
                LOG.warnf("%s failed (%s); retrying in %d ms", what, e.getMessage(), BACKOFF_MILLIS[attempt]);
                try {
                    Thread.sleep(BACKOFF_MILLIS[attempt]);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
