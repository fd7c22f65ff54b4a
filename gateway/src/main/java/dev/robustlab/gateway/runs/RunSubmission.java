package dev.robustlab.gateway.runs;

import dev.robustlab.contracts.event.RunRequested;
import dev.robustlab.contracts.spec.FieldError;
import dev.robustlab.gateway.intake.RunRequestReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns a request body into a run: read and check it (nothing is stored or published for an invalid one), record
 * it as {@code requested}, publish {@code RunRequested} and wait for the broker's acknowledgement. If publishing
 * fails the run is marked {@code failed} with the reason, so no run ever sits in {@code requested} without its
 * event on the topic.
 */
public final class RunSubmission {

    /** What became of a submission. */
    public sealed interface Outcome permits Rejected, Accepted, Unavailable {
    }

    /** The request was refused; nothing was stored or published. */
    public record Rejected(String message, List<FieldError> errors) implements Outcome {
    }

    /** The run is recorded and on its way to a trainer. */
    public record Accepted(RunRecord run) implements Outcome {
    }

    /** The run could not be handed to the trainers; it is recorded as failed. */
    public record Unavailable(RunRecord run, String message) implements Outcome {
    }

    private final RunStore store;
    private final RunPublisher publisher;
    private final Clock clock;
    private final Supplier<String> ids;

    public RunSubmission(RunStore store, RunPublisher publisher, Clock clock, Supplier<String> ids) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.ids = ids;
    }

    /** With the system clock and random UUIDs. */
    public RunSubmission(RunStore store, RunPublisher publisher) {
        this(store, publisher, Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    public Outcome submit(String body) {
        RunRequestReader.Result read = RunRequestReader.read(body);
        if (!read.valid()) {
            return new Rejected(read.message(), read.errors());
        }
        Instant now = clock.instant();
        RunRecord run = RunRecord.requested(ids.get(), read.spec(), now);
        store.insert(run);
        try {
            publisher.publish(new RunRequested(run.id(), now, run.spec()));
            return new Accepted(run);
        } catch (RunPublisher.PublishFailedException e) {
            String reason = "the run could not be handed to the trainers: " + e.getMessage();
            RunRecord failed = RunProgress.failed(run, reason, clock.instant());
            store.update(run.id(), current -> java.util.Optional.of(failed));
            return new Unavailable(failed, reason);
        }
    }
}
