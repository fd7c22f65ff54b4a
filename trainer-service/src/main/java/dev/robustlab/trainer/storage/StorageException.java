package dev.robustlab.trainer.storage;

/** The S3 endpoint refused or could not complete a request (after retries). */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
