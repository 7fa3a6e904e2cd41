-- Kept foundation: tenancy, identity, audit trail, customers, contacts, activities, tasks, imports.
-- Rules every table follows (checked by test/schema.test.ts):
--   * every table has org_id; the primary key starts with org_id ((org_id, id) where there is an id);
--   * every foreign key includes org_id, so the schema can be distributed by org_id.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE orgs (
  org_id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  locale text NOT NULL DEFAULT 'zh-CN',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL DEFAULT '{}',
  builtin boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, key)
);

CREATE TABLE users (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  role_id uuid NOT NULL,
  locale text,
  skills text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id)
);
CREATE UNIQUE INDEX users_org_email_uq ON users (org_id, lower(email));
CREATE INDEX users_email_idx ON users (lower(email));

CREATE TABLE teams (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  name text NOT NULL,
  supervisor_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name),
  FOREIGN KEY (org_id, supervisor_id) REFERENCES users (org_id, id)
);

CREATE TABLE team_members (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  team_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, team_id, user_id),
  FOREIGN KEY (org_id, team_id) REFERENCES teams (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX team_members_user_idx ON team_members (org_id, user_id);

CREATE TABLE sessions (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX sessions_token_idx ON sessions (token_hash);
CREATE INDEX sessions_user_idx ON sessions (org_id, user_id);

CREATE TABLE api_tokens (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX api_tokens_hash_idx ON api_tokens (token_hash);

-- The hash chain's head per org: updating it serializes appends within one org.
CREATE TABLE audit_heads (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  seq bigint NOT NULL DEFAULT 0,
  hash text NOT NULL DEFAULT '',
  PRIMARY KEY (org_id)
);

CREATE TABLE audit_events (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid,
  changes jsonb NOT NULL DEFAULT '{}',
  meta jsonb NOT NULL DEFAULT '{}',
  state_hash text,
  request_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_entity_idx ON audit_events (org_id, entity_type, entity_id, seq);
CREATE INDEX audit_events_time_idx ON audit_events (org_id, occurred_at);

CREATE TABLE custom_field_defs (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  entity text NOT NULL CHECK (entity IN ('customer', 'contact')),
  key text NOT NULL,
  label jsonb NOT NULL,
  type text NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'multi_select')),
  options jsonb NOT NULL DEFAULT '[]',
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, entity, key)
);

CREATE TABLE customers (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('person', 'company')),
  name text NOT NULL,
  name_normalized text NOT NULL,
  mobile text,
  email text,
  phone text,
  address text,
  person_in_charge text,
  contact_person text,
  position text,
  gender text CHECK (gender IN ('male', 'female', 'other')),
  birthday date,
  age integer,
  best_contact_time text,
  hobbies text,
  family_notes text,
  source_channel text,
  member_level text,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  external_ref text,
  owner_id uuid,
  team_id uuid,
  assigned_at timestamptz,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'deleted')),
  merged_into_id uuid,
  search_tokens text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, team_id) REFERENCES teams (org_id, id),
  FOREIGN KEY (org_id, merged_into_id) REFERENCES customers (org_id, id)
);
CREATE INDEX customers_mobile_idx ON customers (org_id, mobile) WHERE status = 'active';
CREATE INDEX customers_email_idx ON customers (org_id, lower(email)) WHERE status = 'active';
CREATE INDEX customers_name_norm_idx ON customers (org_id, name_normalized) WHERE status = 'active';
CREATE UNIQUE INDEX customers_external_ref_uq ON customers (org_id, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX customers_owner_idx ON customers (org_id, owner_id);
CREATE INDEX customers_team_idx ON customers (org_id, team_id);
CREATE INDEX customers_created_idx ON customers (org_id, created_at, id);
CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_search_idx ON customers USING gin (to_tsvector('simple', search_tokens));

CREATE TABLE contacts (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  name text NOT NULL,
  position text,
  mobile text,
  email text,
  phone text,
  gender text CHECK (gender IN ('male', 'female', 'other')),
  birthday date,
  is_primary boolean NOT NULL DEFAULT false,
  notes text,
  custom jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id)
);
CREATE INDEX contacts_customer_idx ON contacts (org_id, customer_id);

CREATE TABLE activities (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  contact_id uuid,
  kind text NOT NULL CHECK (kind IN ('call', 'message', 'email', 'visit', 'meeting', 'note')),
  direction text CHECK (direction IN ('inbound', 'outbound')),
  subject text,
  body text NOT NULL DEFAULT '',
  occurred_at timestamptz NOT NULL,
  actor_id uuid,
  merged_from_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id),
  FOREIGN KEY (org_id, actor_id) REFERENCES users (org_id, id)
);
CREATE INDEX activities_customer_idx ON activities (org_id, customer_id, occurred_at DESC);

CREATE TABLE tasks (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  kind text NOT NULL DEFAULT 'general',
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  assignee_id uuid,
  due_at timestamptz,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  urgent boolean NOT NULL DEFAULT false,
  important boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  outcome text,
  related_type text,
  related_id uuid,
  completed_at timestamptz,
  created_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, assignee_id) REFERENCES users (org_id, id)
);
CREATE INDEX tasks_assignee_idx ON tasks (org_id, assignee_id, status, due_at);
CREATE INDEX tasks_related_idx ON tasks (org_id, related_type, related_id);

CREATE TABLE imports (
  org_id uuid NOT NULL REFERENCES orgs (org_id),
  id uuid NOT NULL,
  entity text NOT NULL DEFAULT 'customers',
  file_name text NOT NULL,
  file_format text NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
  file_data bytea,
  status text NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'running', 'done', 'failed')),
  mapping jsonb NOT NULL DEFAULT '{}',
  columns jsonb NOT NULL DEFAULT '[]',
  total_rows integer NOT NULL DEFAULT 0,
  processed_rows integer NOT NULL DEFAULT 0,
  created_rows integer NOT NULL DEFAULT 0,
  updated_rows integer NOT NULL DEFAULT 0,
  error_rows integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  message text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, created_by) REFERENCES users (org_id, id)
);
