package dev.robustlab.service.database;

/** A database operation failed (connection lost, timeout, constraint): worth a retry, unlike a malformed event. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
