-- Items of the question bank: one row per item id, never deleted. An item removed from the
-- content files is marked retired, so responses that point at it stay meaningful.
CREATE TABLE questions (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    -- draft | pilot | live | retired
    status       TEXT NOT NULL,
    difficulty   TEXT NOT NULL,
    -- The revision served now (a key of question_revisions).
    current_hash TEXT NOT NULL,
    -- Tags as '|tag|other|' so that one LIKE finds a whole tag.
    tags         TEXT NOT NULL,
    -- Lower-cased scenario, stems and options, for text search.
    search_text  TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Every revision an item has had, keyed by the SHA-256 of its content (status excluded).
-- Responses point at (question_id, hash), so an edit never rewrites history.
CREATE TABLE question_revisions (
    question_id TEXT NOT NULL REFERENCES questions (id),
    hash        TEXT NOT NULL,
    -- The item as JSON (core::Question).
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (question_id, hash)
);

-- The exam, domain and task each item's current revision maps to.
CREATE TABLE question_exams (
    question_id TEXT NOT NULL REFERENCES questions (id),
    exam_code   TEXT NOT NULL REFERENCES exams (code),
    domain      INTEGER NOT NULL,
    task        INTEGER NOT NULL,
    PRIMARY KEY (question_id, exam_code)
);

CREATE INDEX question_exams_by_task ON question_exams (exam_code, domain, task);
CREATE INDEX questions_by_status ON questions (status);
