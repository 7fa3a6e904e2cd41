import type { Queryable } from '../../platform/db/db.ts';

export interface TaskTypeRow {
  org_id: string;
  key: string;
  label: Record<string, string>;
  outcomes: Array<{ code: string; label: Record<string, string> }>;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** SQL of task_types (an org's task types with coded outcomes); no rules. */
export const taskTypesRepo = {
  async list(q: Queryable, orgId: string) {
    return (
      await q.query<TaskTypeRow>('SELECT * FROM task_types WHERE org_id = $1 ORDER BY created_at, key', [
        orgId,
      ])
    ).rows;
  },

  async byKeyForUpdate(q: Queryable, orgId: string, key: string) {
    return (
      await q.query<TaskTypeRow>('SELECT * FROM task_types WHERE org_id = $1 AND key = $2 FOR UPDATE', [
        orgId,
        key,
      ])
    ).rows[0];
  },

  async byKey(q: Queryable, orgId: string, key: string) {
    return (
      await q.query<TaskTypeRow>('SELECT * FROM task_types WHERE org_id = $1 AND key = $2', [orgId, key])
    ).rows[0];
  },

  /** Inserts the type or replaces its label, outcomes and active flag (version + 1). */
  async upsert(
    q: Queryable,
    orgId: string,
    key: string,
    v: Pick<TaskTypeRow, 'label' | 'outcomes' | 'active'>,
  ) {
    return (
      await q.query<TaskTypeRow>(
        `INSERT INTO task_types (org_id, key, label, outcomes, active) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, key) DO UPDATE SET label = EXCLUDED.label, outcomes = EXCLUDED.outcomes,
           active = EXCLUDED.active, version = task_types.version + 1, updated_at = now()
         RETURNING *`,
        [orgId, key, JSON.stringify(v.label), JSON.stringify(v.outcomes), v.active],
      )
    ).rows[0];
  },
};
