-- The SQLite schema's 0013 stores saved answers in their key's own B-tree (WITHOUT ROWID).
-- PostgreSQL has no such choice to make: its tables are heaps with the key in an index either
-- way. This migration keeps the two schemas' version numbers in step.
SELECT 1;
