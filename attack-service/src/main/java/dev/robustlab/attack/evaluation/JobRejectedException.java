package dev.robustlab.attack.evaluation;

/** A job that cannot be run as asked, e.g. an unknown attack or a shard outside the test split. */
public class JobRejectedException extends RuntimeException {
    public JobRejectedException(String reason) {
        super(reason);
    }

    public JobRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
