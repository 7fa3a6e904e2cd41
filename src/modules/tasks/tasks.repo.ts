import type { Queryable, Tx, WriteBuffer } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export interface TaskRow {
  org_id: string;
  id: string;
  kind: string;
  title: string;
  description: string;
  assignee_id: string | null;
  due_at: Date | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  urgent: boolean;
  important: boolean;
  status: 'open' | 'done' | 'cancelled';
  outcome: string | null;
  /** The outcome code of a completed task whose type codes its outcomes (task_types). */
  outcome_code: string | null;
  related_type: string | null;
  related_id: string | null;
  channel: string | null;
  source_type: string | null;
  source_id: string | null;
  completed_at: Date | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type Quadrant =
  | 'urgentImportant'
  | 'urgentNotImportant'
  | 'notUrgentImportant'
  | 'notUrgentNotImportant';

export const QUADRANT_FLAGS: Record<Quadrant, [boolean, boolean]> = {
  urgentImportant: [true, true],
  urgentNotImportant: [true, false],
  notUrgentImportant: [false, true],
  notUrgentNotImportant: [false, false],
};

export interface TaskFilter {
  assigneeIds: string[];
  status?: TaskRow['status'];
  dueBefore?: Date;
  dueAfter?: Date;
  quadrant?: Quadrant;
  relatedType?: string;
  relatedId?: string;
  kind?: string;
  priority?: TaskRow['priority'];
}

const TASKS_SORT = sortOf(
  'tasks',
  [
    { sql: "(t.status = 'open')", type: 'bool', desc: true },
    { sql: 't.due_at', type: 'timestamptz', nulls: 'last' },
    { sql: 't.created_at', type: 'timestamptz' },
  ],
  't.id',
);

const TASK_COLUMNS: Array<[keyof TaskRow, string]> = [
  ['org_id', 'uuid'],
  ['id', 'uuid'],
  ['kind', 'text'],
  ['title', 'text'],
  ['description', 'text'],
  ['assignee_id', 'uuid'],
  ['due_at', 'timestamptz'],
  ['priority', 'text'],
  ['urgent', 'boolean'],
  ['important', 'boolean'],
  ['status', 'text'],
  ['outcome', 'text'],
  ['outcome_code', 'text'],
  ['related_type', 'text'],
  ['related_id', 'uuid'],
  ['channel', 'text'],
  ['source_type', 'text'],
  ['source_id', 'uuid'],
  ['completed_at', 'timestamptz'],
  ['created_by', 'uuid'],
  ['version', 'integer'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

/**
 * New tasks written at commit with the transaction's audit and domain events, in one statement (a process
 * firing 200 SLA timers creates 200 tasks with one INSERT). A statement of the transaction that names the tasks
 * table writes them first, so the transaction reads its own tasks.
 */
const TASK_INSERTS: WriteBuffer<TaskRow> = {
  name: 'tasks',
  table: 'tasks',
  referencedAs: ['task_id'],
  insert(rows, param, guard) {
    const arrays = TASK_COLUMNS.map(([col, type]) => `${param(rows.map((r) => r[col]))}::${type}[]`).join(
      ', ',
    );
    const names = TASK_COLUMNS.map(([col]) => col);
    return `INSERT INTO tasks (${names.join(', ')})
      SELECT ${names.map((_, i) => `c${i}`).join(', ')}
      FROM unnest(${arrays}) WITH ORDINALITY AS x(${names.map((_, i) => `c${i}`).join(', ')}, n)${guard ? ` WHERE ${guard}` : ''} ORDER BY n`;
  },
};

/** SQL of the tasks table; no rules. */
export const tasksRepo = {
  /** A new task, every column given, written at commit (see TASK_INSERTS); the row as it will be stored. */
  bufferInsert(tx: Tx, row: TaskRow): TaskRow {
    tx.buffer(TASK_INSERTS).push(row);
    return row;
  },

  async openOfRecord(
    q: Queryable,
    orgId: string,
    type: string,
    id: string,
    assigneeIds: string[] | null,
    limit: number,
  ) {
    return (
      await q.query<TaskRow>(
        `SELECT * FROM tasks WHERE org_id = $1 AND related_type = $2 AND related_id = $3 AND status = 'open'
           AND ($4::uuid[] IS NULL OR assignee_id = ANY($4::uuid[]))
         ORDER BY due_at NULLS LAST, id LIMIT $5`,
        [orgId, type, id, assigneeIds, limit],
      )
    ).rows;
  },
  async byId(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (
      await q.query<TaskRow>(
        `SELECT * FROM tasks WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },

  /** One page: open tasks first, then by due time (undated last), then creation. */
  async list(q: Queryable, orgId: string, f: TaskFilter, page: PageRequest) {
    const where = ['t.org_id = $1', 't.assignee_id = ANY($2::uuid[])'];
    const params: unknown[] = [orgId, f.assigneeIds];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.status) add('t.status = ?', f.status);
    if (f.dueBefore) add('t.due_at < ?', f.dueBefore);
    if (f.dueAfter) add('t.due_at >= ?', f.dueAfter);
    if (f.kind) add('t.kind = ?', f.kind);
    if (f.priority) add('t.priority = ?', f.priority);
    if (f.quadrant) {
      const [u, i] = QUADRANT_FLAGS[f.quadrant];
      add('t.urgent = ?', u);
      add('t.important = ?', i);
    }
    if (f.relatedType) add('t.related_type = ?', f.relatedType);
    if (f.relatedId) add('t.related_id = ?', f.relatedId);
    return fetchPage<TaskRow>(
      q,
      TASKS_SORT,
      page,
      params,
      (k) =>
        `SELECT t.*, ${k.columns} FROM tasks t WHERE ${where.join(' AND ')} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },

  async update(
    q: Queryable,
    orgId: string,
    id: string,
    v: Omit<
      TaskRow,
      | 'org_id'
      | 'id'
      | 'kind'
      | 'related_type'
      | 'related_id'
      | 'channel'
      | 'source_type'
      | 'source_id'
      | 'created_by'
      | 'version'
      | 'created_at'
      | 'updated_at'
      | 'completed_at'
    >,
  ) {
    return (
      await q.query<TaskRow>(
        `UPDATE tasks SET title = $3, description = $4, assignee_id = $5, due_at = $6, priority = $7, urgent = $8,
           important = $9, status = $10, outcome = $11, outcome_code = $12,
           completed_at = CASE WHEN $10 = 'open' THEN NULL WHEN status = 'open' THEN now() ELSE completed_at END,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [
          orgId,
          id,
          v.title,
          v.description,
          v.assignee_id,
          v.due_at,
          v.priority,
          v.urgent,
          v.important,
          v.status,
          v.outcome,
          v.outcome_code,
        ],
      )
    ).rows[0];
  },

  /** Open tasks that came from one source (a cadence run, a promise), locked until the transaction ends. */
  async openOfSource(q: Queryable, orgId: string, sourceType: string, sourceId: string) {
    return (
      await q.query<TaskRow>(
        `SELECT * FROM tasks WHERE org_id = $1 AND source_type = $2 AND source_id = $3 AND status = 'open' FOR UPDATE`,
        [orgId, sourceType, sourceId],
      )
    ).rows;
  },

  async close(q: Queryable, orgId: string, id: string, status: 'done' | 'cancelled', outcome: string) {
    return (
      await q.query<TaskRow>(
        `UPDATE tasks SET status = $3, outcome = $4, completed_at = now(), version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, status, outcome],
      )
    ).rows[0];
  },

  async insert(
    q: Queryable,
    t: {
      orgId: string;
      id: string;
      kind: string;
      title: string;
      description: string;
      assigneeId: string;
      dueAt: Date | null;
      priority: TaskRow['priority'];
      urgent: boolean;
      important: boolean;
      relatedType: string | null;
      relatedId: string | null;
      channel: string | null;
      sourceType: string | null;
      sourceId: string | null;
      createdBy: string | null;
    },
  ) {
    return (
      await q.query<TaskRow>(
        `INSERT INTO tasks (org_id, id, kind, title, description, assignee_id, due_at, priority, urgent, important,
           related_type, related_id, channel, source_type, source_id, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING *`,
        [
          t.orgId,
          t.id,
          t.kind,
          t.title,
          t.description,
          t.assigneeId,
          t.dueAt,
          t.priority,
          t.urgent,
          t.important,
          t.relatedType,
          t.relatedId,
          t.channel,
          t.sourceType,
          t.sourceId,
          t.createdBy,
        ],
      )
    ).rows[0];
  },

  /** Cancels the open tasks of a kind on a record, outcome 'reassigned'; returns them. */
  async cancelOpenOfRecordAsReassigned(
    q: Queryable,
    orgId: string,
    relatedType: string,
    relatedId: string,
    kind: string,
  ) {
    return (
      await q.query<TaskRow>(
        `UPDATE tasks SET status = 'cancelled', outcome = 'reassigned', completed_at = now(), version = version + 1, updated_at = now()
           WHERE org_id = $1 AND related_type = $2 AND related_id = $3 AND kind = $4 AND status = 'open' RETURNING *`,
        [orgId, relatedType, relatedId, kind],
      )
    ).rows;
  },
};
