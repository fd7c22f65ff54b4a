-- The gateway's view of every run: what was requested, and how far the trainer got (from run-status).
CREATE TABLE runs (
    id             text             PRIMARY KEY,   -- UUID
    name           text             NOT NULL,
    status         text             NOT NULL
                   CHECK (status IN ('requested', 'started', 'training', 'completed', 'failed')),
    epoch          integer,                         -- last completed epoch
    epochs         integer          NOT NULL,
    train_loss     double precision,
    train_accuracy double precision,
    failure_reason text,
    trainer        text,
    spec           jsonb            NOT NULL,       -- the complete RunSpec (defaults filled in)
    created_at     timestamptz      NOT NULL,
    updated_at     timestamptz      NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX runs_newest_first ON runs (created_at DESC, id DESC);
