-- "Report a problem with this question": kept with the revision the reporter saw, closed by an
-- author as accepted or rejected with a note the reporter can read.
CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions (id),
    -- The question_revisions hash the reporter saw.
    revision    TEXT NOT NULL,
    -- The reporter's identity (account or guest).
    reporter    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- open | accepted | rejected
    status      TEXT NOT NULL DEFAULT 'open',
    resolution  TEXT NOT NULL DEFAULT '',
    resolved_at TEXT
);

CREATE INDEX reports_by_status ON reports (status, created_at);
CREATE INDEX reports_by_reporter ON reports (reporter);
