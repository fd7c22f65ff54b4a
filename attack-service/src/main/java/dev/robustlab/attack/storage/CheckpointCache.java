package dev.robustlab.attack.storage;

import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.service.worker.storage.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Checkpoints on local disk, one file per checkpoint named by its SHA-256: {@code <dir>/<sha256>}.
 *
 * <p>A file is trusted only under its verified hash. A download is hashed as it arrives and enters the cache only
 * when its SHA-256 equals the one the job announced (written to a temporary name, then moved into place, so that
 * readers and other processes sharing the directory never see half a file); a mismatching download is never
 * written. A cache hit is hashed again before use, and a file whose bytes no longer match its name is deleted and
 * fetched anew. The cache holds at most {@code maxBytes}; the least recently used checkpoints are evicted first.
 */
public final class CheckpointCache {
    private static final Logger LOG = Logger.getLogger(CheckpointCache.class);
    private static final String PART_PREFIX = ".part-";
    private static final Duration STALE_PART = Duration.ofHours(1);
    /** Java arrays end a little below 2^31; ShardEvaluation takes the checkpoint as one array. */
    private static final long MAX_CHECKPOINT_BYTES = Integer.MAX_VALUE - 16;

    private final Path dir;
    private final long maxBytes;
    private final CheckpointSource source;

    /**
     * @param dir      the cache directory, created if missing
     * @param maxBytes how many bytes the cache may keep
     * @param source   where missing checkpoints come from
     */
    public CheckpointCache(Path dir, long maxBytes, CheckpointSource source) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.source = source;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint cache " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Where the checkpoint with SHA-256 {@code sha256} is kept once verified. */
    public Path pathOf(String sha256) {
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return dir.resolve(sha256);
    }

    /**
     * The bytes of the checkpoint {@code ref} names, verified against {@code ref.sha256()}.
     *
     * @throws CheckpointRejectedException  when the bytes do not match the hash, the object does not exist or the
     *                                      reference is malformed
     * @throws StorageUnavailableException when S3 fails
     */
    public byte[] fetch(CheckpointRef ref) {
        String expected = expectedHash(ref);
        Path file = dir.resolve(expected);
        byte[] cached = readVerified(file, expected);
        if (cached != null) {
            return cached;
        }
        Download download = download(ref);
        if (!download.sha256().equals(expected) || download.size() != ref.sizeBytes()) {
            throw new CheckpointRejectedException("checkpoint s3://" + ref.bucket() + "/" + ref.objectKey()
                    + " has SHA-256 " + download.sha256() + " (" + download.size() + " bytes), expected "
                    + expected + " (" + ref.sizeBytes() + " bytes)");
        }
        keep(file, download.bytes());
        evict(file);
        return download.bytes();
    }

    private static String expectedHash(CheckpointRef ref) {
        if (ref == null || ref.objectKey() == null || ref.objectKey().isBlank() || ref.bucket() == null
                || ref.bucket().isBlank()) {
            throw new CheckpointRejectedException("the job names no checkpoint (bucket and objectKey are required)");
        }
        String expected = ref.sha256() == null ? null : ref.sha256().toLowerCase();
        if (!Sha256.isHex(expected)) {
            throw new CheckpointRejectedException("checkpoint s3://" + ref.bucket() + "/" + ref.objectKey()
                    + " is announced with '" + ref.sha256() + "', which is not a hex SHA-256");
        }
        if (ref.sizeBytes() > MAX_CHECKPOINT_BYTES) {
            throw new CheckpointRejectedException("checkpoint s3://" + ref.bucket() + "/" + ref.objectKey()
                    + " has " + ref.sizeBytes() + " bytes, more than one array holds");
        }
        return expected;
    }

    /** The file's bytes if they hash to {@code expected}; null if absent; a mismatching file is deleted. */
    private byte[] readVerified(Path file, String expected) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("cannot read cached checkpoint %s, fetching it again: %s", file, e);
            return null;
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(expected)) {
            LOG.warnf("cached checkpoint %s hashes to %s: deleting it and fetching it again", file, actual);
            deleteQuietly(file);
            return null;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.debugf("cannot touch %s: %s", file, e);
        }
        return bytes;
    }

    private record Download(byte[] bytes, String sha256, long size) {
    }

    /**
     * Reads the whole object, hashing every byte, and keeps at most the announced size (plus one byte, to tell a
     * longer object): a wrong or hostile object cannot fill the heap, yet its real hash and size are reported.
     */
    private Download download(CheckpointRef ref) {
        MessageDigest digest = Sha256.digest();
        long keepAtMost = Math.max(0, ref.sizeBytes()) + 1;
        ByteArrayOutputStream kept = new ByteArrayOutputStream((int) Math.min(keepAtMost, 64L << 20));
        long size = 0;
        try (InputStream in = source.open(ref.bucket(), ref.objectKey())) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                int keep = (int) Math.max(0, Math.min(n, keepAtMost - size));
                kept.write(buffer, 0, keep);
                size += n;
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("reading s3://" + ref.bucket() + "/" + ref.objectKey()
                    + " failed after " + size + " bytes: " + e, e);
        }
        return new Download(kept.toByteArray(), HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Puts verified bytes into the cache; a failure to write only costs a later download. */
    private void keep(Path file, byte[] bytes) {
        Path part = dir.resolve(PART_PREFIX + UUID.randomUUID());
        try {
            Files.write(part, bytes);
            try {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warnf("cannot cache checkpoint %s: %s", file.getFileName(), e);
            deleteQuietly(part);
        }
    }

    /** Deletes the least recently used checkpoints until the cache fits, never {@code keep}. */
    private void evict(Path keep) {
        List<Path> checkpoints = new ArrayList<>();
        long total = 0;
        Instant stale = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Sha256.isHex(name) && Files.isRegularFile(entry)) {
                    checkpoints.add(entry);
                    total += Files.size(entry);
                } else if (name.startsWith(PART_PREFIX) && Files.getLastModifiedTime(entry).toInstant()
                        .isBefore(stale)) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list checkpoint cache %s: %s", dir, e);
            return;
        }
        if (total <= maxBytes) {
            return;
        }
        checkpoints.sort(Comparator.comparing(CheckpointCache::lastModified));
        for (Path victim : checkpoints) {
            if (total <= maxBytes) {
                break;
            }
            if (victim.equals(keep)) {
                continue;
            }
            try {
                long size = Files.size(victim);
                Files.deleteIfExists(victim);
                total -= size;
                LOG.debugf("evicted checkpoint %s (%d bytes)", victim.getFileName(), size);
            } catch (IOException e) {
                LOG.debugf("cannot evict %s: %s", victim, e);
            }
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", file, e);
        }
    }
}
