-- Customer imports: rows matched but already up to date, and the per-row error report.
ALTER TABLE imports ADD COLUMN unchanged_rows integer NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN batch_size integer NOT NULL DEFAULT 500;

CREATE TABLE import_row_errors (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  -- [{field, key, vars}]: i18n keys, translated when the report is read, in the reader's language
  errors jsonb NOT NULL,
  -- the row's cells as in the file, in column order
  cells jsonb NOT NULL,
  PRIMARY KEY (org_id, import_id, row_number),
  FOREIGN KEY (org_id, import_id) REFERENCES imports (org_id, id) ON DELETE CASCADE
);
