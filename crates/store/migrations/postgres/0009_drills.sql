-- A sitting's own settings (JSON), e.g. an adaptive drill's precision target and item cap.
ALTER TABLE attempts ADD COLUMN settings TEXT;

-- How often adaptive drills served each item, per exam, for the exposure ceiling. The row with
-- an empty question_id counts the drills themselves.
CREATE TABLE drill_exposure (
    exam_code   TEXT NOT NULL,
    question_id TEXT NOT NULL,
    served      BIGINT NOT NULL,
    PRIMARY KEY (exam_code, question_id)
);
