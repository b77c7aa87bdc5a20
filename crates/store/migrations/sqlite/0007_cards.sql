-- Spaced repetition: one card per (identity, item), scheduled by FSRS. Times are unix seconds so
-- that "due now" is a plain integer comparison on both backends.
CREATE TABLE cards (
    owner          TEXT NOT NULL,
    question_id    TEXT NOT NULL,
    -- FSRS memory state: stability in days, difficulty 1–10.
    stability      REAL NOT NULL,
    difficulty     REAL NOT NULL,
    due_at         INTEGER NOT NULL,
    last_review_at INTEGER NOT NULL,
    reps           INTEGER NOT NULL,
    -- Reviews graded Again.
    lapses         INTEGER NOT NULL,
    PRIMARY KEY (owner, question_id)
);

CREATE INDEX cards_due ON cards (owner, due_at);

-- Every graded answer, once per attempt item: the history a per-learner parameter fit reads.
CREATE TABLE card_reviews (
    attempt_id   TEXT NOT NULL,
    n            INTEGER NOT NULL,
    owner        TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    -- again | hard | good | easy
    grade        TEXT NOT NULL,
    reviewed_at  INTEGER NOT NULL,
    -- Days since the card's previous review (0 for a new card).
    elapsed_days INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, n)
);

CREATE INDEX card_reviews_by_owner ON card_reviews (owner, reviewed_at);

-- Learner settings that guests have too, keyed by identity.
CREATE TABLE learner_settings (
    owner             TEXT PRIMARY KEY,
    desired_retention REAL NOT NULL
);

-- How many times a response was changed to a different answer (a changed answer is not
-- easy recall).
ALTER TABLE responses ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
