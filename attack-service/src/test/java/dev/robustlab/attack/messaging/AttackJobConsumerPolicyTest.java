package dev.robustlab.attack.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.attack.config.AttackSettings;
import dev.robustlab.attack.evaluation.AttackJobRunner;
import dev.robustlab.attack.evaluation.JobProgress;
import dev.robustlab.attack.evaluation.JobRejectedException;
import dev.robustlab.attack.health.StorageHealth;
import dev.robustlab.attack.storage.CheckpointRejectedException;
import dev.robustlab.attack.storage.StorageUnavailableException;
import dev.robustlab.contracts.EventJson;
import dev.robustlab.contracts.event.AttackRequested;
import dev.robustlab.contracts.event.CheckpointRef;
import dev.robustlab.contracts.event.RobustnessMeasured;
import dev.robustlab.contracts.spec.DatasetSpec;
import dev.robustlab.contracts.spec.ModelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** What the consumer does with each kind of outcome: ack, nack (dead letter) or retry. No broker needed. */
class AttackJobConsumerPolicyTest {
    private static final AttackRequested JOB = new AttackRequested("r/1/pgd-20/0", "r", 1, "pgd-20", "linf", 0.1,
            0.025, new DatasetSpec("toy-circles", 10, 10, 1L), new ModelSpec("mlp", 4), 0, 1, 0, 2, 5L,
            new CheckpointRef("b", "k", "m", "0".repeat(64), 1));
    private static final RobustnessMeasured RESULT = new RobustnessMeasured(JOB.jobId(), "r", 1, "pgd-20", 0, 1, 0,
            2, 1, 1, List.of(true, false), 0.1, "w");

    /** A runner that plays a script of outcomes. */
    static final class ScriptedRunner extends AttackJobRunner {
        final List<Supplier<RobustnessMeasured>> script = new ArrayList<>();
        int calls;
        StorageHealth health;
        final List<String> readinessDuringCalls = new ArrayList<>();

        ScriptedRunner() {
            super(null, null, null);
        }

        @Override
        public RobustnessMeasured run(AttackRequested job) {
            readinessDuringCalls.add(health.readinessProblem());
            return script.get(Math.min(calls++, script.size() - 1)).get();
        }
    }

    static class RecordingPublisher extends ResultPublisher {
        final List<RobustnessMeasured> measured = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        @Override
        public void measured(RobustnessMeasured result) {
            measured.add(result);
        }

        @Override
        public void failed(AttackRequested job, String reason) {
            failed.add(reason);
        }
    }

    /** A message that records how it was settled. */
    static final class Settled {
        boolean acked;
        Throwable nacked;

        Message<String> message(String payload) {
            return Message.of(payload, () -> {
                acked = true;
                return CompletableFuture.completedFuture(null);
            }, failure -> {
                nacked = failure;
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    private final ScriptedRunner runner = new ScriptedRunner();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final StorageHealth health = new StorageHealth();
    private final AttackJobConsumer consumer = new AttackJobConsumer();
    private final Settled settled = new Settled();

    AttackJobConsumerPolicyTest() {
        runner.health = health;
        consumer.runner = runner;
        consumer.publisher = publisher;
        consumer.progress = new JobProgress();
        consumer.storageHealth = health;
        consumer.settings = settings(3);
    }

    private static AttackSettings settings(int attempts) {
        return new AttackSettings() {
            @Override
            public Duration stallTimeout() {
                return Duration.ofHours(1);
            }

            @Override
            public long cacheMaxBytes() {
                return 1 << 20;
            }

            @Override
            public int storageAttempts() {
                return attempts;
            }

            @Override
            public Duration storageBackoff() {
                return Duration.ofMillis(1);
            }
        };
    }

    private void consume() {
        consumer.onAttackRequested(settled.message(EventJson.encode(JOB))).toCompletableFuture().join();
    }

    @Test
    void aMeasuredJobIsPublishedThenAcked() {
        runner.script.add(() -> RESULT);
        consume();
        assertEquals(List.of(RESULT), publisher.measured);
        assertTrue(settled.acked);
        assertNull(settled.nacked);
    }

    @Test
    void aRejectedCheckpointOrJobBecomesAttackFailedAndIsAcked() {
        runner.script.add(() -> {
            throw new CheckpointRejectedException("has SHA-256 x, expected y");
        });
        consume();
        assertEquals(List.of("has SHA-256 x, expected y"), publisher.failed);
        assertTrue(settled.acked);

        Settled second = new Settled();
        runner.script.clear();
        runner.calls = 0;
        runner.script.add(() -> {
            throw new JobRejectedException("unknown attack");
        });
        consumer.onAttackRequested(second.message(EventJson.encode(JOB))).toCompletableFuture().join();
        assertEquals("unknown attack", publisher.failed.get(1));
        assertTrue(second.acked);
    }

    @Test
    void anEvaluationThatBreaksBecomesAttackFailedAndIsAcked() {
        runner.script.add(() -> {
            throw new UnsatisfiedLinkError("libtorch");
        });
        consume();
        assertEquals(List.of("evaluation failed: UnsatisfiedLinkError: libtorch"), publisher.failed);
        assertTrue(settled.acked);
    }

    @Test
    void s3OutagesAreRetriedWhileNotReadyAndTheJobIsDoneWhenS3Returns() {
        runner.script.add(() -> {
            throw new StorageUnavailableException("connection refused", null);
        });
        runner.script.add(() -> {
            throw new StorageUnavailableException("connection refused", null);
        });
        runner.script.add(() -> RESULT);
        consume();
        assertEquals(3, runner.calls);
        assertNull(runner.readinessDuringCalls.get(0));
        assertTrue(runner.readinessDuringCalls.get(1).contains("S3 unavailable"), runner.readinessDuringCalls.get(1));
        assertEquals(List.of(RESULT), publisher.measured);
        assertTrue(settled.acked);
        assertNull(health.readinessProblem(), "ready again");
    }

    @Test
    void anOutageLongerThanTheAttemptsSendsTheJobToTheDeadLetterTopicNotToAttackFailed() {
        runner.script.add(() -> {
            throw new StorageUnavailableException("connection refused", null);
        });
        consume();
        assertEquals(3, runner.calls);
        assertInstanceOf(StorageUnavailableException.class, settled.nacked);
        assertTrue(publisher.failed.isEmpty() && publisher.measured.isEmpty());
        assertNull(health.readinessProblem(), "the outage ends with the job");
    }

    @Test
    void aRecordThatIsNotAJobIsNacked() {
        consumer.onAttackRequested(settled.message("{\"not\": ")).toCompletableFuture().join();
        assertInstanceOf(EventJson.MalformedEventException.class, settled.nacked);
        assertEquals(0, runner.calls);
    }

    @Test
    void whenTheOutcomeCannotBePublishedTheJobIsNacked() {
        runner.script.add(() -> RESULT);
        RecordingPublisher broken = new RecordingPublisher() {
            @Override
            public void measured(RobustnessMeasured result) {
                throw new IllegalStateException("broker gone");
            }
        };
        consumer.publisher = broken;
        consume();
        assertInstanceOf(IllegalStateException.class, settled.nacked);
        assertTrue(!settled.acked);
    }
}
