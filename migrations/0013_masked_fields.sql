-- Masked fields (issue 7, point 3): customers get a resident ID number (masked like the other personal fields),
-- and lookups by a full mobile or email that the caller sees masked are counted per user and 10-minute window,
-- so masked digits cannot be walked by searching.
ALTER TABLE customers ADD COLUMN id_number text;

CREATE TABLE pii_lookup_counts (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  user_id uuid NOT NULL,
  window_start timestamptz NOT NULL,
  lookups integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, user_id, window_start),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
