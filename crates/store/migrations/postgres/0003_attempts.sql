-- A sitting: an exam simulation, a practice set or a missed-questions set. Starting one writes
-- this single row (the form is fixed here, as JSON), not a row per item: the start is the load
-- peak of an exam day.
CREATE TABLE attempts (
    -- 128 random bits, hex: unguessable, so an id alone reveals nothing.
    id           TEXT PRIMARY KEY,
    -- The guest or account identity that owns the attempt.
    owner        TEXT NOT NULL,
    exam_code    TEXT NOT NULL REFERENCES exams (code),
    -- exam | practice | missed
    mode         TEXT NOT NULL,
    seed         BIGINT NOT NULL,
    -- The form: item revisions, parts, scored or not, and each item's option order (JSON).
    items        TEXT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    -- Kept on the server; NULL when untimed.
    deadline     TIMESTAMPTZ,
    submitted_at TIMESTAMPTZ,
    -- The score summary (JSON), written once at submit.
    result       TEXT
);

CREATE INDEX attempts_by_owner ON attempts (owner, started_at);

-- Every response as it is given; saving again replaces it (idempotent).
CREATE TABLE responses (
    attempt_id  TEXT NOT NULL REFERENCES attempts (id),
    -- 1-based item number within the attempt.
    n           INTEGER NOT NULL,
    -- core::scoring::Response as JSON; NULL when the item is only flagged.
    response    TEXT,
    flagged     BOOLEAN NOT NULL DEFAULT FALSE,
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, n)
);
