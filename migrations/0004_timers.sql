-- Durable timers: every due effect (SLA warning/breach, delayed automation, cadence step, promise due, outbox
-- delivery) is one row, unique per (org_id, key) where key names (rule, record, due time), so scheduling is
-- idempotent and an effect commits in the same transaction that marks its timer done: it happens once.
CREATE TABLE timers (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  key text NOT NULL,
  kind text NOT NULL,
  ref_type text,
  ref_id uuid,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 10,
  last_error text,
  fired_at timestamptz,
  fired_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, key)
);
CREATE INDEX timers_due_idx ON timers (due_at) WHERE status = 'pending';
CREATE INDEX timers_ref_idx ON timers (org_id, ref_type, ref_id);
