-- Customer imports of real-world files: the header row found under title rows, the rows left out at upload
-- (titles, totals lines, blank lines) and the new outcome counts. Row-level warnings and duplicates are kept in
-- import_row_errors beside the errors, each entry carrying its level.
ALTER TABLE imports ADD COLUMN header_row integer NOT NULL DEFAULT 1;
ALTER TABLE imports ADD COLUMN skipped_rows integer NOT NULL DEFAULT 0;
-- [{row, reason: title|totals|blank, text}], the first 100
ALTER TABLE imports ADD COLUMN skipped_lines jsonb NOT NULL DEFAULT '[]';
ALTER TABLE imports ADD COLUMN duplicate_rows integer NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN warning_rows integer NOT NULL DEFAULT 0;
-- the process running the import renews this; a running import whose lease lapsed is resumed by another
ALTER TABLE imports ADD COLUMN lease_until timestamptz;
CREATE INDEX imports_running ON imports (status, lease_until) WHERE status = 'running';
