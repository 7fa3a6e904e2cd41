-- Keyset paging: every list pages by (sort key, id) from a cursor (src/platform/db/paging.ts). These indexes
-- let the default sorts read one page straight off an index instead of sorting every matching row. Where an
-- older index is a strict prefix of the new one, the new one replaces it.

-- Customers: createdAt has customers_created_idx (org_id, created_at, id); updatedAt and name sorts.
CREATE INDEX customers_updated_idx ON customers (org_id, updated_at, id);
CREATE INDEX customers_name_idx ON customers (org_id, name, id);

-- Users (admin list and directory), oldest first.
CREATE INDEX users_created_idx ON users (org_id, created_at, id);

-- Cadence runs, newest first.
CREATE INDEX cadence_runs_created_idx ON cadence_runs (org_id, created_at, id);

-- A user's notifications, newest first.
CREATE INDEX notifications_user_page_idx ON notifications (org_id, user_id, created_at, id);
DROP INDEX notifications_user_idx;

-- An endpoint's webhook deliveries, newest first.
CREATE INDEX webhook_deliveries_endpoint_page_idx ON webhook_deliveries (org_id, endpoint_id, created_at, id);
DROP INDEX webhook_deliveries_endpoint_idx;

-- My day and the tasks/promises lists: one person's open work by due time.
CREATE INDEX tasks_assignee_page_idx ON tasks (org_id, assignee_id, status, due_at, id);
DROP INDEX tasks_assignee_idx;
CREATE INDEX promises_promiser_page_idx ON promises (org_id, promiser_id, status, due_at, id);
DROP INDEX promises_promiser_idx;
