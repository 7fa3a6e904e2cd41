-- Process engine, deliverable 3: tasks learn where they come from (a cadence step, a broken promise) and
-- through which channel they are done; cadences (ordered contact steps with working-time offsets and stop
-- conditions, e.g. the 催付 unpaid-order reminder) and their runs on a record; promises made to customers.
ALTER TABLE tasks ADD COLUMN channel text;
ALTER TABLE tasks ADD COLUMN source_type text;
ALTER TABLE tasks ADD COLUMN source_id uuid;
CREATE INDEX tasks_source_idx ON tasks (org_id, source_type, source_id);
CREATE INDEX tasks_open_due_idx ON tasks (org_id, status, due_at);

CREATE TABLE cadence_templates (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- the kind of record a run follows ('order', 'customer', …)
  record_type text NOT NULL,
  -- [{"channel": "message", "title": "…", "script": "…", "offset": {"workingHours": 2}}, …]
  steps jsonb NOT NULL,
  -- events that stop a run on the record, e.g. {order.paid}
  stop_on text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  builtin boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, key)
);

CREATE TABLE cadence_runs (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  template_id uuid NOT NULL,
  record_type text NOT NULL,
  record_id uuid NOT NULL,
  assignee_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'stopped')),
  current_step integer NOT NULL DEFAULT 0,
  stop_reason text,
  stopped_at timestamptz,
  completed_at timestamptz,
  started_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, template_id) REFERENCES cadence_templates (org_id, id),
  FOREIGN KEY (org_id, assignee_id) REFERENCES users (org_id, id)
);
CREATE INDEX cadence_runs_record_idx ON cadence_runs (org_id, record_type, record_id, status);

CREATE TABLE cadence_run_steps (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  run_id uuid NOT NULL,
  position integer NOT NULL,
  channel text NOT NULL,
  title text NOT NULL,
  due_at timestamptz NOT NULL,
  task_id uuid,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'open', 'done', 'cancelled')),
  outcome text,
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, run_id, position),
  FOREIGN KEY (org_id, run_id) REFERENCES cadence_runs (org_id, id),
  FOREIGN KEY (org_id, task_id) REFERENCES tasks (org_id, id)
);
CREATE INDEX cadence_run_steps_task_idx ON cadence_run_steps (org_id, task_id);

CREATE TABLE promises (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  what text NOT NULL,
  customer_id uuid,
  contact_id uuid,
  -- to whom, in words ("the buyer 王先生", "淘宝 buyer tb_123")
  to_text text NOT NULL DEFAULT '',
  promiser_id uuid NOT NULL,
  due_at timestamptz NOT NULL,
  related_type text,
  related_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
  note text,
  kept_at timestamptz,
  broken_at timestamptz,
  created_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, promiser_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id)
);
CREATE INDEX promises_promiser_idx ON promises (org_id, promiser_id, status, due_at);
CREATE INDEX promises_customer_idx ON promises (org_id, customer_id);
