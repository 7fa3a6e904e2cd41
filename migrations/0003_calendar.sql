-- Business calendar: per-org working hours, default customer quiet hours and time zone (one row per org,
-- absent until an admin first saves settings), dated overrides (extra holidays, extra working days, special
-- hours; optionally for one scope such as a shop), and per-customer quiet hours (null = the org default).
CREATE TABLE calendar_settings (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  time_zone text NOT NULL,
  -- {"mon": [["09:00","12:00"], ["13:30","18:00"]], …, "sun": []}
  working_hours jsonb NOT NULL,
  -- {"<scope>": {"mon": […], …}}: a shop's or branch's own week, instead of working_hours
  scoped_hours jsonb NOT NULL DEFAULT '{}',
  -- [["12:00","14:00"], ["21:00","09:00"]]: an interval whose end is before its start wraps midnight
  quiet_hours jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id)
);

CREATE TABLE calendar_overrides (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday', 'hours')),
  -- working intervals of that date (required for 'hours', optional for 'workday', null for 'holiday')
  hours jsonb,
  name text NOT NULL DEFAULT '',
  -- null: the whole org; otherwise one scope (a shop or branch id) that falls back to the org's days
  scope text,
  created_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, created_by) REFERENCES users (org_id, id)
);
CREATE UNIQUE INDEX calendar_overrides_day_idx ON calendar_overrides (org_id, date, (coalesce(scope, '')));

ALTER TABLE customers ADD COLUMN quiet_hours jsonb;
