-- A pilot item part whose calibration earned it a live place (enough responses, acceptable
-- discrimination, no flag). A pilot item with every part ready is drawn as live.
ALTER TABLE item_stats ADD COLUMN ready_for_live BOOLEAN NOT NULL DEFAULT FALSE;
