package dev.robustlab.attack.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.service.worker.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCacheTest {

    /** An in-memory object store that counts reads. */
    static final class FakeSource implements CheckpointSource {
        final Map<String, byte[]> objects = new HashMap<>();
        int reads;
        RuntimeException failure;

        @Override
        public InputStream open(String bucket, String key) {
            reads++;
            if (failure != null) {
                throw failure;
            }
            byte[] bytes = objects.get(bucket + "/" + key);
            if (bytes == null) {
                throw new CheckpointRejectedException("checkpoint s3://" + bucket + "/" + key + " does not exist");
            }
            return new ByteArrayInputStream(bytes);
        }
    }

    @TempDir
    Path dir;

    private final FakeSource source = new FakeSource();

    private CheckpointRef put(String key, byte[] bytes) {
        source.objects.put("b/" + key, bytes);
        return new CheckpointRef("b", key, key + ".manifest", Sha256.hex(bytes), bytes.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void downloadsOnceThenServesTheVerifiedFileNamedByItsHash() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef ref = put("runs/r/epoch-001/model.params", bytes("parameters"));

        assertArrayEquals(bytes("parameters"), cache.fetch(ref));
        assertArrayEquals(bytes("parameters"), cache.fetch(ref));

        assertEquals(1, source.reads);
        assertEquals(List.of(ref.sha256()), files());
        assertArrayEquals(bytes("parameters"), Files.readAllBytes(cache.pathOf(ref.sha256())));
    }

    @Test
    void aMismatchingDownloadIsRefusedWithBothHashesAndNeverKept() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef real = put("k", bytes("the real bytes"));
        String wrong = Sha256.hex(bytes("other bytes"));
        CheckpointRef announced = new CheckpointRef("b", "k", "m", wrong, real.sizeBytes());

        CheckpointRejectedException e = assertThrows(CheckpointRejectedException.class,
                () -> cache.fetch(announced));

        assertTrue(e.getMessage().contains("has SHA-256 " + real.sha256()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertEquals(List.of(), files());
    }

    @Test
    void aSizeMismatchIsRefusedToo() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef real = put("k", bytes("0123456789"));
        CheckpointRef announced = new CheckpointRef("b", "k", "m", real.sha256(), 4);

        CheckpointRejectedException e = assertThrows(CheckpointRejectedException.class,
                () -> cache.fetch(announced));

        assertTrue(e.getMessage().contains("(10 bytes), expected " + real.sha256() + " (4 bytes)"), e.getMessage());
        assertEquals(List.of(), files());
    }

    @Test
    void aCachedFileThatNoLongerMatchesItsNameIsReplaced() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef ref = put("k", bytes("good"));
        Files.write(cache.pathOf(ref.sha256()), bytes("tampered"));

        assertArrayEquals(bytes("good"), cache.fetch(ref));

        assertEquals(1, source.reads);
        assertArrayEquals(bytes("good"), Files.readAllBytes(cache.pathOf(ref.sha256())));
    }

    @Test
    void aMissingObjectIsARejection() {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef ref = new CheckpointRef("b", "nothing-here", "m", Sha256.hex(bytes("x")), 1);
        assertThrows(CheckpointRejectedException.class, () -> cache.fetch(ref));
    }

    @Test
    void aStoreFailureIsReportedAsUnavailableAndNothingIsKept() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef ref = put("k", bytes("fine"));
        source.failure = new StorageUnavailableException("connection refused", null);
        assertThrows(StorageUnavailableException.class, () -> cache.fetch(ref));
        assertEquals(List.of(), files());
    }

    @Test
    void aStreamThatBreaksIsReportedAsUnavailable() {
        CheckpointRef ref = new CheckpointRef("b", "k", "m", Sha256.hex(bytes("abc")), 3);
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, (bucket, key) -> new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        assertThrows(StorageUnavailableException.class, () -> cache.fetch(ref));
    }

    @Test
    void malformedReferencesAreRejectedBeforeAnyDownload() {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        assertThrows(CheckpointRejectedException.class,
                () -> cache.fetch(new CheckpointRef("b", "k", "m", "not-a-hash", 3)));
        assertThrows(CheckpointRejectedException.class,
                () -> cache.fetch(new CheckpointRef("b", "k", "m", "../../etc/passwd", 3)));
        assertThrows(CheckpointRejectedException.class,
                () -> cache.fetch(new CheckpointRef("b", null, "m", Sha256.hex(bytes("x")), 1)));
        assertThrows(CheckpointRejectedException.class, () -> cache.fetch(null));
        assertEquals(0, source.reads);
    }

    @Test
    void upperCaseHashesAreAccepted() {
        CheckpointCache cache = new CheckpointCache(dir, 1 << 20, source);
        CheckpointRef ref = put("k", bytes("abc"));
        CheckpointRef upper = new CheckpointRef("b", "k", "m", ref.sha256().toUpperCase(), ref.sizeBytes());
        assertArrayEquals(bytes("abc"), cache.fetch(upper));
    }

    @Test
    void leastRecentlyUsedCheckpointsAreEvictedBeyondTheLimit() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 25, source);
        CheckpointRef a = put("a", bytes("aaaaaaaaaa"));
        CheckpointRef b = put("b", bytes("bbbbbbbbbb"));
        CheckpointRef c = put("c", bytes("cccccccccc"));
        cache.fetch(a);
        cache.fetch(b);
        Files.setLastModifiedTime(cache.pathOf(a.sha256()), FileTime.from(Instant.now().minusSeconds(60)));

        cache.fetch(c);

        List<String> kept = files();
        assertFalse(kept.contains(a.sha256()), "the oldest goes");
        assertTrue(kept.contains(b.sha256()) && kept.contains(c.sha256()), kept.toString());
    }

    @Test
    void theCheckpointJustFetchedStaysEvenWhenItAloneExceedsTheLimit() throws IOException {
        CheckpointCache cache = new CheckpointCache(dir, 5, source);
        CheckpointRef big = put("big", bytes("0123456789"));
        assertArrayEquals(bytes("0123456789"), cache.fetch(big));
        assertEquals(List.of(big.sha256()), files());
    }
}
