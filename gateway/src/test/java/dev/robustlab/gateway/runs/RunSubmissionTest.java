package dev.robustlab.gateway.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.RunRequested;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RunSubmissionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final String VALID = "{\"name\": \"toy\", \"dataset\": {\"name\": \"toy-circles\"}}";

    static final class MemoryStore implements RunStore {
        final Map<String, RunRecord> runs = new LinkedHashMap<>();

        @Override
        public void insert(RunRecord run) {
            runs.put(run.id(), run);
        }

        @Override
        public Optional<RunRecord> find(String id) {
            return Optional.ofNullable(runs.get(id));
        }

        @Override
        public List<RunRecord> newest(int limit) {
            return runs.values().stream().sorted(Comparator.comparing(RunRecord::createdAt).reversed())
                    .limit(limit).toList();
        }

        @Override
        public boolean update(String id, Function<RunRecord, Optional<RunRecord>> change) {
            Optional<RunRecord> changed = find(id).flatMap(change);
            changed.ifPresent(r -> runs.put(id, r));
            return changed.isPresent();
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final List<RunRequested> published = new ArrayList<>();

    @Test
    void aValidRunIsStoredThenPublished() {
        RunSubmission submission = new RunSubmission(store, published::add, CLOCK, () -> "run-1");
        RunSubmission.Accepted accepted = assertInstanceOf(RunSubmission.Accepted.class, submission.submit(VALID));
        assertEquals("requested", accepted.run().status());
        assertEquals(List.of("run-1"), published.stream().map(RunRequested::runId).toList());
        assertEquals(CLOCK.instant(), published.get(0).requestedAt());
        assertEquals(20, published.get(0).spec().epochs(), "the published spec has its defaults");
        assertEquals("requested", store.find("run-1").orElseThrow().status());
    }

    @Test
    void anInvalidRunIsNeitherStoredNorPublished() {
        RunSubmission submission = new RunSubmission(store, published::add, CLOCK, () -> "run-1");
        RunSubmission.Rejected rejected = assertInstanceOf(RunSubmission.Rejected.class,
                submission.submit("{\"dataset\": {\"name\": \"mnist\"}, \"epochs\": -1}"));
        assertEquals(2, rejected.errors().size());
        assertTrue(store.runs.isEmpty());
        assertTrue(published.isEmpty());
    }

    @Test
    void aRunKafkaDidNotTakeIsMarkedFailed() {
        RunPublisher broken = e -> {
            throw new RunPublisher.PublishFailedException("broker down", null);
        };
        RunSubmission submission = new RunSubmission(store, broken, CLOCK, () -> "run-2");
        RunSubmission.Unavailable unavailable = assertInstanceOf(RunSubmission.Unavailable.class,
                submission.submit(VALID));
        RunRecord stored = store.find("run-2").orElseThrow();
        assertEquals("failed", stored.status());
        assertTrue(stored.failureReason().contains("broker down"), stored.failureReason());
        assertEquals(stored, unavailable.run());
    }
}
