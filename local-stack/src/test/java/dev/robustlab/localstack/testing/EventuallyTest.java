package dev.robustlab.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void retriesUntilTheAssertionPasses() {
        AtomicInteger calls = new AtomicInteger();
        Eventually.within(Duration.ofSeconds(10), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new AssertionError("not yet");
            }
        });
        assertEquals(3, calls.get());
    }

    @Test
    void throwsTheLastFailureWhenTimeIsUp() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Eventually.within(Duration.ofMillis(300), () -> {
                    throw new AssertionError("never");
                }));
        assertEquals("never", e.getMessage());
    }
}
