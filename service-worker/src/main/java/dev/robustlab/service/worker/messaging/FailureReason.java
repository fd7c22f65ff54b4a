package dev.robustlab.service.worker.messaging;

/**
 * A failure in words for a person, as the {@code reason} of a failed event ({@code RunStatusChanged},
 * {@code AttackFailed}): the exception and its causes, most specific last, shortened to a sane length.
 */
public final class FailureReason {
    /** Longest reason in characters; a longer one is cut and ends with an ellipsis. */
    public static final int MAX_LENGTH = 2000;
    private static final int MAX_CAUSES = 5;

    private FailureReason() {
    }

    /** E.g. {@code IllegalStateException: upload failed; caused by IOException: connection refused}. */
    public static String describe(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (depth > 0) {
                reason.append("; caused by ");
            }
            reason.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                reason.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return reason.length() <= MAX_LENGTH ? reason.toString() : reason.substring(0, MAX_LENGTH - 1) + "…";
    }
}
