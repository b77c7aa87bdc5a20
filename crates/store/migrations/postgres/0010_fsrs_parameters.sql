-- A learner's own FSRS parameters (JSON array), fitted to their review log once it is long
-- enough; NULL: the defaults.
ALTER TABLE learner_settings ADD COLUMN fsrs_parameters TEXT;
