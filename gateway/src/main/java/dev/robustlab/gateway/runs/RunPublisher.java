package dev.robustlab.gateway.runs;

import dev.robustlab.contracts.event.RunRequested;

/** Hands a run to the trainers. */
public interface RunPublisher {

    /**
     * Publishes {@code event} and returns once the broker has acknowledged it.
     *
     * @throws PublishFailedException when the broker refused it or did not answer in time
     */
    void publish(RunRequested event);

    /** The broker refused the event or did not acknowledge it in time. */
    final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
