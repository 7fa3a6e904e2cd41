-- Official holiday and 调休 tables imported by an admin (kept calendar import-holidays, /admin/calendar), one per
-- org and year: an imported year replaces the built-in chinese-days data of that year for the org. A warning row
-- records that the org's admins were told (once) that next year's table is missing.
CREATE TABLE calendar_official_years (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  -- 'csv' or 'ics'
  source text NOT NULL,
  days integer NOT NULL,
  imported_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, year),
  FOREIGN KEY (org_id, imported_by) REFERENCES users (org_id, id)
);

CREATE TABLE calendar_official_days (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  date date NOT NULL,
  year_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('holiday', 'adjusted_workday')),
  name text NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, date),
  FOREIGN KEY (org_id, year_id) REFERENCES calendar_official_years (org_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_official_days_year_idx ON calendar_official_days (org_id, year_id);

CREATE TABLE calendar_holiday_warnings (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  year integer NOT NULL,
  notified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, year)
);
