-- The exam catalog as last synced from content. Pages read the validated catalog from memory;
-- this table anchors everything that refers to an exam (questions, attempts) and keeps the
-- revision each row was synced from.
CREATE TABLE exams (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL,
    state        TEXT NOT NULL,
    -- SHA-256 (hex) of the exam's canonical JSON: changes whenever its catalog entry does.
    content_hash TEXT NOT NULL,
    -- The catalog entry as JSON, for history and exports.
    data         TEXT NOT NULL,
    -- FALSE once the exam has left the catalog; rows are never deleted (attempts point here).
    in_catalog   BOOLEAN NOT NULL DEFAULT TRUE,
    synced_at    TEXT NOT NULL
);
