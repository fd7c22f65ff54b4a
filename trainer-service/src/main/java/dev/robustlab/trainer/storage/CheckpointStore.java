package dev.robustlab.trainer.storage;

import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.service.worker.storage.S3Config;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Writes checkpoints and their manifests to the bucket and reads manifests back. The bucket is created on first
 * use if it is missing (not at start-up: the service must start even while S3 is still coming up). Every request
 * is retried a few times with backoff, so that a short S3 hiccup does not fail a long training run.
 */
@ApplicationScoped
public class CheckpointStore {
    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MS = 1000;
    private static final Set<String> ABSENT = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient s3;
    private final String bucket;
    private volatile boolean bucketReady;

    @Inject
    public CheckpointStore(MinioClient s3, S3Config config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Uploads {@code parameters} to {@code manifest.objectKey()}, then the manifest beside it. The manifest must
     * already carry the parameters' SHA-256 and size; its {@code createdAt} is set when the parameters are in.
     *
     * @return the manifest as written; {@link CheckpointManifest#ref(String)} with {@link #bucket()} says where
     *         the checkpoint is
     */
    public CheckpointManifest write(byte[] parameters, CheckpointManifest manifest) {
        if (parameters.length != manifest.sizeBytes()) {
            throw new IllegalArgumentException("manifest says " + manifest.sizeBytes() + " bytes, parameters have "
                    + parameters.length);
        }
        ensureBucket();
        CheckpointRef ref = manifest.ref(bucket);
        put(ref.objectKey(), parameters, "application/octet-stream", Map.of("sha256", manifest.sha256()));
        CheckpointManifest written = manifest.withCreatedAt(Instant.now());
        put(ref.manifestKey(), EventJson.encode(written).getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of());
        return written;
    }

    /** The manifest of epoch {@code epoch} of {@code runId}, or empty when there is none (or it is unreadable). */
    public Optional<CheckpointManifest> readManifest(String runId, int epoch) {
        String key = CheckpointKeys.manifest(runId, epoch);
        String json = withRetries("read " + key, () -> {
            try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (ErrorResponseException e) {
                if (ABSENT.contains(e.errorResponse().code())) {
                    return null;
                }
                throw e;
            }
        });
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.decode(json, CheckpointManifest.class));
        } catch (EventJson.MalformedEventException e) {
            LOG.warnf("ignoring unreadable manifest %s/%s: %s", bucket, key, e.getMessage());
            return Optional.empty();
        }
    }

    private void put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        withRetries("upload " + key, () -> s3.putObject(PutObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType(contentType)
                .userMetadata(metadata)
                .build()));
    }

    private void ensureBucket() {
        if (bucketReady) {
            return;
        }
        synchronized (this) {
            if (bucketReady) {
                return;
            }
            withRetries("create bucket " + bucket, () -> {
                if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    try {
                        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                        LOG.infof("created bucket %s", bucket);
                    } catch (ErrorResponseException e) {
                        // Another trainer may have created it in between.
                        String code = e.errorResponse().code();
                        if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                            throw e;
                        }
                    }
                }
                return null;
            });
            bucketReady = true;
        }
    }

    private <T> T withRetries(String what, S3Call<T> call) {
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                if (attempt >= ATTEMPTS) {
                    throw new StorageException("cannot " + what + " in bucket " + bucket + " after " + attempt
                            + " attempts: " + e, e);
                }
                LOG.warnf("cannot %s (attempt %d of %d), retrying in %d ms: %s", what, attempt, ATTEMPTS, backoff, e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while trying to " + what, e);
                }
                backoff *= 2;
            }
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
