-- Idempotency-Key on POST (src/platform/http/idempotency.ts): the first answer to a key, per org and user, kept
-- 24 hours. status NULL: the first request is still running (a duplicate waits for it).
CREATE TABLE idempotency_keys (
  org_id uuid NOT NULL REFERENCES orgs (org_id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  body text,
  headers jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
