-- eval-service's schema (created by Flyway): planned evaluation work, shard results, merged metrics, failures.
-- Every table is written idempotently: redelivered events hit a primary key or unique constraint and change nothing.

-- A checkpoint whose epoch the run's plan evaluates; its row marks the checkpoint as planned.
CREATE TABLE checkpoints (
    run_id      text        NOT NULL,
    epoch       integer     NOT NULL,
    epochs      integer     NOT NULL,
    attacks     text[]      NOT NULL,          -- the plan's attacks, in order
    checkpoint  jsonb       NOT NULL,          -- CheckpointRef
    created_at  timestamptz,                   -- when the trainer uploaded it
    planned_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch)
);

-- One attack job (AttackRequested) per attack and shard; payload is the event as published.
CREATE TABLE jobs (
    job_id        text        PRIMARY KEY,     -- <runId>/<epoch>/<attack>/<shardIndex>
    run_id        text        NOT NULL,
    epoch         integer     NOT NULL,
    attack        text        NOT NULL,
    shard_index   integer     NOT NULL,
    shard_count   integer     NOT NULL,
    shard_offset  integer     NOT NULL,
    example_count integer     NOT NULL,
    seed          bigint      NOT NULL,
    payload       text        NOT NULL,
    planned_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,                 -- null until the broker acknowledged it
    UNIQUE (run_id, epoch, attack, shard_index)
);
CREATE INDEX jobs_unpublished ON jobs (planned_at) WHERE published_at IS NULL;

-- One merged shard result (RobustnessMeasured); the first delivery wins, duplicates are dropped.
CREATE TABLE shard_results (
    run_id        text             NOT NULL,
    epoch         integer          NOT NULL,
    attack        text             NOT NULL,
    shard_index   integer          NOT NULL,
    shard_count   integer          NOT NULL,
    shard_offset  integer          NOT NULL,
    examples      integer          NOT NULL,
    correct_clean integer          NOT NULL,
    robust        integer          NOT NULL,
    robust_flags  boolean[]        NOT NULL,   -- per example, in dataset order from shard_offset
    seconds       double precision NOT NULL,
    worker        text,
    job_id        text,
    measured_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch, attack, shard_index)
);

-- Accuracy of a (run, epoch, attack) once all its shards are merged (fractions in [0, 1]).
CREATE TABLE attack_metrics (
    run_id          text             NOT NULL,
    epoch           integer          NOT NULL,
    attack          text             NOT NULL,
    examples        integer          NOT NULL,
    correct_clean   integer          NOT NULL,
    robust          integer          NOT NULL,
    clean_accuracy  double precision NOT NULL,
    robust_accuracy double precision NOT NULL,
    completed_at    timestamptz      NOT NULL DEFAULT now(),
    published_at    timestamptz,               -- EpochMetricRecorded acknowledged by the broker
    PRIMARY KEY (run_id, epoch, attack)
);
CREATE INDEX attack_metrics_unpublished ON attack_metrics (completed_at) WHERE published_at IS NULL;

-- Attack jobs a worker refused or could not finish (AttackFailed).
CREATE TABLE job_failures (
    id          bigserial   PRIMARY KEY,
    job_id      text        NOT NULL,
    run_id      text        NOT NULL,
    epoch       integer     NOT NULL,
    attack      text        NOT NULL,
    shard_index integer     NOT NULL,
    reason      text        NOT NULL,
    worker      text        NOT NULL,          -- '' when the event did not say
    failed_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, worker, reason)
);
CREATE INDEX job_failures_run ON job_failures (run_id);
