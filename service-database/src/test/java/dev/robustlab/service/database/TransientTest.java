package dev.robustlab.service.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientTest {

    @Test
    void aStorageFailureIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        String result = Transient.retry("work", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new StorageException("connection lost", null);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(2, calls.get());
    }

    @Test
    void anyOtherFailureIsNot() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> Transient.retry("work", () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("malformed");
        }));
        assertEquals(1, calls.get());
    }
}
