-- Saved answers keyed by (attempt, item) alone. A rowid table kept the rows in one B-tree and
-- their key in a second (the primary key's index): an answer's first save wrote both, and every
-- save searched the index and then the table. Without a rowid the rows live in the key's own
-- B-tree, so a save is one search and, on commit, fewer pages written to the log.
CREATE TABLE responses_by_key (
    attempt_id  TEXT NOT NULL REFERENCES attempts (id),
    n           INTEGER NOT NULL,
    response    TEXT,
    flagged     BOOLEAN NOT NULL DEFAULT FALSE,
    answered_at TEXT NOT NULL,
    changes     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attempt_id, n)
) WITHOUT ROWID;

INSERT INTO responses_by_key (attempt_id, n, response, flagged, answered_at, changes)
SELECT attempt_id, n, response, flagged, answered_at, changes FROM responses;

DROP TABLE responses;

ALTER TABLE responses_by_key RENAME TO responses;
