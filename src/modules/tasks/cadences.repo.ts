import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import type { Offset } from './working-time.ts';

export type Channel = 'message' | 'call' | 'email' | 'visit';

export interface CadenceStep {
  channel: Channel;
  title: string;
  script: string;
  /** From the run's start (first step) or from the previous step's completion. */
  offset: Offset;
}

export interface TemplateRow {
  org_id: string;
  id: string;
  key: string;
  name: string;
  description: string;
  record_type: string;
  steps: CadenceStep[];
  stop_on: string[];
  active: boolean;
  builtin: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface RunRow {
  org_id: string;
  id: string;
  template_id: string;
  record_type: string;
  record_id: string;
  assignee_id: string;
  status: 'running' | 'completed' | 'stopped';
  current_step: number;
  stop_reason: string | null;
  stopped_at: Date | null;
  completed_at: Date | null;
  started_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface RunStepRow {
  org_id: string;
  id: string;
  run_id: string;
  position: number;
  channel: Channel;
  title: string;
  due_at: Date;
  task_id: string | null;
  status: 'scheduled' | 'open' | 'done' | 'cancelled';
  outcome: string | null;
  completed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const TEMPLATES_SORT = sortOf(
  'cadenceTemplates',
  [
    { sql: 'c.builtin', type: 'bool', desc: true },
    { sql: 'c.name', type: 'text' },
  ],
  'c.id',
);
const RUNS_SORT = sortOf('cadenceRuns', [{ sql: 'r.created_at', type: 'timestamptz', desc: true }], 'r.id');

/** SQL of cadence templates, runs and run steps; no rules. */
export const cadencesRepo = {
  /** One page of templates: built-in first, then by name. */
  /** Every event type some template of the org stops on. */
  async stopOnTypes(q: Queryable, orgId: string) {
    return (
      await q.query<{ t: string }>(
        'SELECT DISTINCT unnest(stop_on) AS t FROM cadence_templates WHERE org_id = $1',
        [orgId],
      )
    ).rows.map((r) => r.t);
  },
  async templates(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<TemplateRow>(
      q,
      TEMPLATES_SORT,
      page,
      [orgId],
      (k) =>
        `SELECT c.*, ${k.columns} FROM cadence_templates c WHERE c.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async template(q: Queryable, orgId: string, idOrKey: { id?: string; key?: string }) {
    const [col, v] = idOrKey.id ? ['id', idOrKey.id] : ['key', idOrKey.key];
    return (
      await q.query<TemplateRow>(`SELECT * FROM cadence_templates WHERE org_id = $1 AND ${col} = $2`, [
        orgId,
        v,
      ])
    ).rows[0];
  },
  async insertTemplate(
    q: Queryable,
    t: Omit<TemplateRow, 'version' | 'created_at' | 'updated_at' | 'active'>,
  ) {
    return (
      await q.query<TemplateRow>(
        `INSERT INTO cadence_templates (org_id, id, key, name, description, record_type, steps, stop_on, builtin)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (org_id, key) DO NOTHING RETURNING *`,
        [
          t.org_id,
          t.id,
          t.key,
          t.name,
          t.description,
          t.record_type,
          JSON.stringify(t.steps),
          t.stop_on,
          t.builtin,
        ],
      )
    ).rows[0];
  },
  async insertRun(
    q: Queryable,
    r: Pick<
      RunRow,
      'org_id' | 'id' | 'template_id' | 'record_type' | 'record_id' | 'assignee_id' | 'started_by'
    >,
  ) {
    return (
      await q.query<RunRow>(
        `INSERT INTO cadence_runs (org_id, id, template_id, record_type, record_id, assignee_id, started_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
        [r.org_id, r.id, r.template_id, r.record_type, r.record_id, r.assignee_id, r.started_by],
      )
    ).rows[0];
  },
  async run(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (
      await q.query<RunRow>(
        `SELECT * FROM cadence_runs WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },
  /** One page of runs, newest first. */
  async runs(
    q: Queryable,
    orgId: string,
    f: { recordType?: string; recordId?: string; status?: string; assigneeIds?: string[] },
    page: PageRequest,
  ) {
    const where = ['r.org_id = $1'];
    const params: unknown[] = [orgId];
    for (const [col, v] of [
      ['record_type', f.recordType],
      ['record_id', f.recordId],
      ['status', f.status],
    ] as const) {
      if (v === undefined) continue;
      params.push(v);
      where.push(`r.${col} = $${params.length}`);
    }
    if (f.assigneeIds) {
      params.push(f.assigneeIds);
      where.push(`r.assignee_id = ANY($${params.length}::uuid[])`);
    }
    return fetchPage<RunRow>(
      q,
      RUNS_SORT,
      page,
      params,
      (k) =>
        `SELECT r.*, ${k.columns} FROM cadence_runs r WHERE ${where.join(' AND ')} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  /** The record's running runs, locked until the caller's transaction ends. */
  async runningOnRecord(q: Queryable, orgId: string, recordType: string, recordId: string) {
    return (
      await q.query<RunRow>(
        `SELECT * FROM cadence_runs WHERE org_id = $1 AND record_type = $2 AND record_id = $3 AND status = 'running' FOR UPDATE`,
        [orgId, recordType, recordId],
      )
    ).rows;
  },
  async setRun(
    q: Queryable,
    orgId: string,
    id: string,
    v: Pick<RunRow, 'status' | 'current_step' | 'stop_reason'>,
  ) {
    return (
      await q.query<RunRow>(
        `UPDATE cadence_runs SET status = $3, current_step = $4, stop_reason = $5,
           stopped_at = CASE WHEN $3 = 'stopped' THEN now() ELSE stopped_at END,
           completed_at = CASE WHEN $3 = 'completed' THEN now() ELSE completed_at END,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, v.status, v.current_step, v.stop_reason],
      )
    ).rows[0];
  },
  async steps(q: Queryable, orgId: string, runId: string) {
    return (
      await q.query<RunStepRow>(
        'SELECT * FROM cadence_run_steps WHERE org_id = $1 AND run_id = $2 ORDER BY position',
        [orgId, runId],
      )
    ).rows;
  },
  /** One step of a run, locked until the caller's transaction ends. */
  async step(q: Queryable, orgId: string, runId: string, position: number) {
    return (
      await q.query<RunStepRow>(
        'SELECT * FROM cadence_run_steps WHERE org_id = $1 AND run_id = $2 AND position = $3 FOR UPDATE',
        [orgId, runId, position],
      )
    ).rows[0];
  },
  /** The run step a task came from, locked until the caller's transaction ends. */
  async stepOfTask(q: Queryable, orgId: string, taskId: string) {
    return (
      await q.query<RunStepRow>(
        'SELECT * FROM cadence_run_steps WHERE org_id = $1 AND task_id = $2 FOR UPDATE',
        [orgId, taskId],
      )
    ).rows[0];
  },
  async insertStep(
    q: Queryable,
    s: Pick<RunStepRow, 'org_id' | 'id' | 'run_id' | 'position' | 'channel' | 'title' | 'due_at'>,
  ) {
    return (
      await q.query<RunStepRow>(
        `INSERT INTO cadence_run_steps (org_id, id, run_id, position, channel, title, due_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
        [s.org_id, s.id, s.run_id, s.position, s.channel, s.title, s.due_at],
      )
    ).rows[0];
  },
  async setStep(
    q: Queryable,
    orgId: string,
    id: string,
    v: Pick<RunStepRow, 'status' | 'task_id' | 'outcome'>,
  ) {
    return (
      await q.query<RunStepRow>(
        `UPDATE cadence_run_steps SET status = $3, task_id = $4, outcome = $5,
           completed_at = CASE WHEN $3 IN ('done', 'cancelled') THEN now() ELSE completed_at END,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, v.status, v.task_id, v.outcome],
      )
    ).rows[0];
  },
};
