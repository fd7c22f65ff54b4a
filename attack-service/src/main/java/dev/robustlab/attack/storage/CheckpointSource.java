package dev.robustlab.attack.storage;

import java.io.InputStream;

/** Where checkpoint bytes come from (S3 in the service, a map in unit tests). */
@FunctionalInterface
public interface CheckpointSource {

    /**
     * Opens object {@code key} of {@code bucket}; the caller closes the stream. An {@link java.io.IOException}
     * while reading it counts as {@link StorageUnavailableException}.
     *
     * @throws CheckpointRejectedException  when the object or bucket does not exist
     * @throws StorageUnavailableException when the store cannot answer
     */
    InputStream open(String bucket, String key);
}
