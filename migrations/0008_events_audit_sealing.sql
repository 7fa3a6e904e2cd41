-- The backbone: domain events through a transactional outbox, and an audit trail sealed after commit.

-- Audit off the write path. A write appends its event with a global write-order number (seq, from a sequence:
-- no lock) and no chain link; a sealer chains events per org after commit, in small batches, giving each its
-- position in the org's chain (chain_seq), the previous event's hash and its own. Events written before this
-- migration were chained at write time: their chain position is their old per-org seq.
ALTER TABLE audit_events ADD COLUMN chain_seq bigint;
UPDATE audit_events SET chain_seq = seq;
ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_uq UNIQUE (org_id, chain_seq);
CREATE SEQUENCE audit_events_seq;
SELECT setval('audit_events_seq', (SELECT coalesce(max(seq), 0) + 1 FROM audit_events), false);
ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq');
CREATE INDEX audit_events_unsealed_idx ON audit_events (org_id, seq) WHERE chain_seq IS NULL;

-- Domain events (the transactional outbox): written in the same transaction as the change, dispatched after
-- commit to the consumers (process engine, cadences, webhooks, notifications) in order per record: a record's
-- events share a lane, and each lane of an org is dispatched by one worker at a time, in seq order.
CREATE SEQUENCE domain_events_seq;
CREATE TABLE domain_events (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  seq bigint NOT NULL DEFAULT nextval('domain_events_seq'),
  type text NOT NULL,
  record_type text,
  record_id uuid,
  -- A second record the event concerns (a task's customer): consumers on that record hear it too.
  related_type text,
  related_id uuid,
  lane smallint NOT NULL DEFAULT 0,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid,
  request_id text,
  data jsonb NOT NULL DEFAULT '{}',
  -- 0 for an event a person or a timer caused; n + 1 for one a consumer caused while handling a depth-n event.
  depth smallint NOT NULL DEFAULT 0,
  dispatched_at timestamptz,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX domain_events_pending_idx ON domain_events (org_id, lane, seq) WHERE dispatched_at IS NULL;
CREATE INDEX domain_events_dispatched_idx ON domain_events (dispatched_at) WHERE dispatched_at IS NOT NULL;

-- Finished timers are pruned after a retention period.
CREATE INDEX timers_finished_idx ON timers (created_at) WHERE status <> 'pending';

-- Built-in process templates change with Kept (P1 now starts on the customer.assigned event): the hash of the
-- template a built-in definition was installed from, so an untouched one is upgraded and an edited one is left
-- as the admin made it.
ALTER TABLE process_definitions ADD COLUMN template_hash text;
