package dev.robustlab.attack.storage;

/** S3 could not be reached or failed to answer; the same request may succeed later. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
