package dev.robustlab.attack.storage;

/**
 * The checkpoint a job names cannot be used, and asking again will not change that: its bytes do not have the
 * announced SHA-256, it does not exist, or the reference is malformed. The message is the reason for a person.
 */
public class CheckpointRejectedException extends RuntimeException {
    public CheckpointRejectedException(String reason) {
        super(reason);
    }

    public CheckpointRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
