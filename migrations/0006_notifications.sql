-- Notifications: in-app notifications (live in the browser), per-user preferences (channels per kind, daily
-- digest), outbound webhooks (signed, retried, SSRF-guarded) with their deliveries, and per-org webhook settings.

CREATE TABLE notifications (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  data jsonb NOT NULL DEFAULT '{}',
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX notifications_user_idx ON notifications (org_id, user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (org_id, user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_created_idx ON notifications (created_at);

CREATE TABLE notification_preferences (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  user_id uuid NOT NULL,
  -- defaults for kinds without their own entry
  in_app boolean NOT NULL DEFAULT true,
  email boolean NOT NULL DEFAULT true,
  -- {"<kind>": {"inApp": bool, "email": bool}}
  kinds jsonb NOT NULL DEFAULT '{}',
  digest_enabled boolean NOT NULL DEFAULT false,
  digest_hour integer NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);

CREATE TABLE webhook_settings (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  allow_private_targets boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id)
);

CREATE TABLE webhook_endpoints (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  description text NOT NULL DEFAULT '',
  created_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);

CREATE TABLE webhook_deliveries (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  event text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'refused')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, endpoint_id) REFERENCES webhook_endpoints (org_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (org_id, endpoint_id, created_at DESC);
