package dev.robustlab.service.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void failureReasonNamesTheCauses() {
        String reason = FailureReason.describe(new IllegalStateException("upload failed",
                new UncheckedIOException(new IOException("connection refused"))));
        assertEquals("IllegalStateException: upload failed; caused by UncheckedIOException: "
                + "java.io.IOException: connection refused; caused by IOException: connection refused", reason);
    }

    @Test
    void failureReasonIsBounded() {
        String reason = FailureReason.describe(new RuntimeException("x".repeat(10_000)));
        assertTrue(reason.length() <= 2000);
    }
}
