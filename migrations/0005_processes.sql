-- Processes as data: definitions with immutable published versions, running instances that keep the version
-- they started on, approval requests, and SLA clocks whose warnings and breaches are durable timers.
CREATE TABLE process_definitions (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  key text NOT NULL,
  record_type text NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  current_version integer,
  draft jsonb,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, key)
);

CREATE TABLE process_versions (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  definition_id uuid NOT NULL,
  number integer NOT NULL,
  definition jsonb NOT NULL,
  published_by uuid,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, definition_id, number),
  FOREIGN KEY (org_id, definition_id) REFERENCES process_definitions (org_id, id)
);

CREATE TABLE process_instances (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  definition_id uuid NOT NULL,
  version_id uuid NOT NULL,
  record_type text NOT NULL,
  record_id uuid NOT NULL,
  parent_id uuid,
  state text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  assignee_id uuid,
  data jsonb NOT NULL DEFAULT '{}',
  pending_transition text,
  started_by uuid,
  started_at timestamptz NOT NULL,
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, version_id) REFERENCES process_versions (org_id, id),
  FOREIGN KEY (org_id, definition_id) REFERENCES process_definitions (org_id, id),
  FOREIGN KEY (org_id, parent_id) REFERENCES process_instances (org_id, id),
  FOREIGN KEY (org_id, assignee_id) REFERENCES users (org_id, id)
);
CREATE INDEX process_instances_record_idx ON process_instances (org_id, record_type, record_id);
CREATE INDEX process_instances_active_idx ON process_instances (org_id, definition_id, status);

CREATE TABLE process_history (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  transition text,
  from_state text,
  to_state text NOT NULL,
  actor_id uuid,
  comment text,
  at timestamptz NOT NULL,
  seq bigserial NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, instance_id) REFERENCES process_instances (org_id, id)
);
CREATE INDEX process_history_instance_idx ON process_history (org_id, instance_id, at);

CREATE TABLE approvals (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  transition text NOT NULL,
  step integer NOT NULL,
  approver_role text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('waiting', 'pending', 'approved', 'rejected', 'cancelled')),
  requested_by uuid,
  decided_by uuid,
  comment text,
  fields jsonb NOT NULL DEFAULT '{}',
  requested_at timestamptz NOT NULL,
  decided_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, instance_id) REFERENCES process_instances (org_id, id)
);
CREATE INDEX approvals_pending_idx ON approvals (org_id, approver_role, status);
CREATE INDEX approvals_instance_idx ON approvals (org_id, instance_id);

CREATE TABLE sla_clocks (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  clock_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'paused', 'met', 'breached_running', 'breached', 'cancelled')),
  target jsonb NOT NULL,
  started_at timestamptz NOT NULL,
  due_at timestamptz,
  warn_at timestamptz,
  paused_at timestamptz,
  -- total target length and, while paused, what was left of it (working ms for working-time targets)
  total_ms bigint NOT NULL,
  remaining_ms bigint,
  warned_at timestamptz,
  breached_at timestamptz,
  stopped_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, instance_id, clock_key),
  FOREIGN KEY (org_id, instance_id) REFERENCES process_instances (org_id, id)
);
CREATE INDEX sla_clocks_due_idx ON sla_clocks (due_at) WHERE status = 'running';
