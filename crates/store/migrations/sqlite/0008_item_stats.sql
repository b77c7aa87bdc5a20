-- Item statistics from first-attempt responses, per exam and item part, replaced whole by each
-- calibration run (`getmycert calibrate`, or the server's periodic run).
CREATE TABLE item_stats (
    exam_code      TEXT NOT NULL,
    question_id    TEXT NOT NULL,
    -- 0-based part (case-study sub-question).
    part           INTEGER NOT NULL,
    responses      INTEGER NOT NULL,
    facility       REAL,
    -- Corrected point-biserial.
    discrimination REAL,
    -- 2PL parameters; NULL when the item had too few responses to calibrate.
    a              REAL,
    b              REAL,
    -- core::analysis::ItemAnalysis as JSON: option choice rates and flags.
    analysis       TEXT NOT NULL,
    computed_at    INTEGER NOT NULL,
    PRIMARY KEY (exam_code, question_id, part)
);
