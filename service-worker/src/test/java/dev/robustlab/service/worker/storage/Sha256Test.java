package dev.robustlab.service.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void hexIsLowercaseSha256() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void isHexAcceptsOnlyTheLowercaseHexForm() {
        assertTrue(Sha256.isHex(Sha256.hex(new byte[0])));
        assertFalse(Sha256.isHex(Sha256.hex(new byte[0]).toUpperCase()));
        assertFalse(Sha256.isHex("abc"));
        assertFalse(Sha256.isHex(null));
    }
}
