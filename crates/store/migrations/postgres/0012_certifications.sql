-- Certifications an account holds: the exam and the day it was earned (one row per exam; a
-- renewal replaces the day).
CREATE TABLE certifications (
    owner TEXT NOT NULL,
    exam_code TEXT NOT NULL,
    earned DATE NOT NULL,
    PRIMARY KEY (owner, exam_code)
);
