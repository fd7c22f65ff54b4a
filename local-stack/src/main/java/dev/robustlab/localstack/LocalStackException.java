package dev.robustlab.localstack;

/**
 * A component of the {@link LocalStack} could not be started or provisioned. The message names the component,
 * quotes the last lines of its log and says what to do.
 */
public class LocalStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
