import type { Queryable, Tx } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import { bufferRowUpdate, rowUpdates } from '../../platform/db/row-updates.ts';

export interface InstanceRow {
  org_id: string;
  id: string;
  definition_id: string;
  version_id: string;
  record_type: string;
  record_id: string;
  parent_id: string | null;
  state: string;
  status: 'active' | 'completed' | 'cancelled';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  assignee_id: string | null;
  data: Record<string, unknown>;
  pending_transition: string | null;
  started_by: string | null;
  started_at: Date;
  completed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface ClockRow {
  org_id: string;
  id: string;
  instance_id: string;
  clock_key: string;
  status: 'running' | 'paused' | 'met' | 'breached_running' | 'breached' | 'cancelled';
  target: Record<string, number>;
  started_at: Date;
  due_at: Date | null;
  warn_at: Date | null;
  paused_at: Date | null;
  total_ms: number;
  remaining_ms: number | null;
  warned_at: Date | null;
  breached_at: Date | null;
  stopped_at: Date | null;
  version: number;
}

export interface ApprovalRow {
  org_id: string;
  id: string;
  instance_id: string;
  transition: string;
  step: number;
  approver_role: string;
  status: 'waiting' | 'pending' | 'approved' | 'rejected' | 'cancelled';
  requested_by: string | null;
  decided_by: string | null;
  comment: string | null;
  fields: Record<string, unknown>;
  requested_at: Date;
  decided_at: Date | null;
  version: number;
}

const INSTANCES_SORT = sortOf(
  'processInstances',
  [{ sql: 'i.started_at', type: 'timestamptz', desc: true }],
  'i.id',
);
const APPROVALS_SORT = sortOf('approvals', [{ sql: 'a.requested_at', type: 'timestamptz' }], 'a.id');

/** Running processes: instances, their history, SLA clocks and approvals. Definitions are definitions.repo.ts. */
const CLOCK_UPDATES = rowUpdates('sla_clocks', [
  ['status', 'text'],
  ['target', 'jsonb'],
  ['started_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['warn_at', 'timestamptz'],
  ['paused_at', 'timestamptz'],
  ['total_ms', 'bigint'],
  ['remaining_ms', 'bigint'],
  ['warned_at', 'timestamptz'],
  ['breached_at', 'timestamptz'],
  ['stopped_at', 'timestamptz'],
  ['version', 'integer'],
]);
const INSTANCE_UPDATES = rowUpdates('process_instances', [
  ['state', 'text'],
  ['status', 'text'],
  ['priority', 'text'],
  ['assignee_id', 'uuid'],
  ['data', 'jsonb'],
  ['pending_transition', 'text'],
  ['completed_at', 'timestamptz'],
  ['version', 'integer'],
  ['updated_at', 'timestamptz'],
]);

export const processesRepo = {
  async instance(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (
      await q.query<InstanceRow>(
        `SELECT * FROM process_instances WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },
  /** One page of a record's instances, newest first. */
  async instancesOfRecordPage(
    q: Queryable,
    orgId: string,
    recordType: string,
    recordId: string,
    page: PageRequest,
  ) {
    return fetchPage<InstanceRow>(
      q,
      INSTANCES_SORT,
      page,
      [orgId, recordType, recordId],
      (k) =>
        `SELECT i.*, ${k.columns} FROM process_instances i WHERE i.org_id = $1 AND i.record_type = $2 AND i.record_id = $3
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  /** One page of pending approvals (for one approver role, or all), oldest request first, with their instance. */
  async pendingApprovalsPage(q: Queryable, orgId: string, role: string | null, page: PageRequest) {
    return fetchPage<
      ApprovalRow & { record_type: string; record_id: string; definition_id: string; state: string }
    >(
      q,
      APPROVALS_SORT,
      page,
      [orgId, role],
      (k) =>
        `SELECT a.*, i.record_type, i.record_id, i.definition_id, i.state, ${k.columns} FROM approvals a
         JOIN process_instances i ON i.org_id = a.org_id AND i.id = a.instance_id
         WHERE a.org_id = $1 AND a.status = 'pending' AND ($2::text IS NULL OR a.approver_role = $2)
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async instancesOfRecord(q: Queryable, orgId: string, recordType: string, recordId: string) {
    return (
      await q.query<InstanceRow>(
        'SELECT * FROM process_instances WHERE org_id = $1 AND record_type = $2 AND record_id = $3 ORDER BY started_at DESC',
        [orgId, recordType, recordId],
      )
    ).rows;
  },
  async clocks(q: Queryable, orgId: string, instanceId: string) {
    return (
      await q.query<ClockRow>(
        'SELECT * FROM sla_clocks WHERE org_id = $1 AND instance_id = $2 ORDER BY clock_key',
        [orgId, instanceId],
      )
    ).rows;
  },
  /** Clocks by (org, id), locked, in id order (several timers' clocks in one statement). */
  async clocksForUpdate(q: Queryable, keys: Array<[string, string]>) {
    return (
      await q.query<ClockRow>(
        `SELECT c.* FROM sla_clocks c JOIN unnest($1::uuid[], $2::uuid[]) AS k(org_id, id) ON c.org_id = k.org_id AND c.id = k.id
         ORDER BY c.id FOR UPDATE OF c`,
        [keys.map((k) => k[0]), keys.map((k) => k[1])],
      )
    ).rows;
  },
  /** Instances by (org, id), locked, in id order. */
  async instancesForUpdate(q: Queryable, keys: Array<[string, string]>) {
    return (
      await q.query<InstanceRow>(
        `SELECT i.* FROM process_instances i JOIN unnest($1::uuid[], $2::uuid[]) AS k(org_id, id) ON i.org_id = k.org_id AND i.id = k.id
         ORDER BY i.id FOR UPDATE OF i`,
        [keys.map((k) => k[0]), keys.map((k) => k[1])],
      )
    ).rows;
  },
  async clock(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (
      await q.query<ClockRow>(
        `SELECT * FROM sla_clocks WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },
  async approvals(q: Queryable, orgId: string, instanceId: string) {
    return (
      await q.query<ApprovalRow>(
        'SELECT * FROM approvals WHERE org_id = $1 AND instance_id = $2 ORDER BY requested_at, step',
        [orgId, instanceId],
      )
    ).rows;
  },
  async history(q: Queryable, orgId: string, instanceId: string) {
    return (
      await q.query<{
        id: string;
        transition: string | null;
        from_state: string | null;
        to_state: string;
        actor_id: string | null;
        comment: string | null;
        at: Date;
      }>('SELECT * FROM process_history WHERE org_id = $1 AND instance_id = $2 ORDER BY seq', [
        orgId,
        instanceId,
      ])
    ).rows;
  },

  /** Whether the record has an active instance of the definition. */
  async hasActiveInstance(
    q: Queryable,
    orgId: string,
    definitionId: string,
    recordType: string,
    recordId: string,
  ) {
    const running = await q.query(
      "SELECT id FROM process_instances WHERE org_id = $1 AND definition_id = $2 AND record_type = $3 AND record_id = $4 AND status = 'active' LIMIT 1",
      [orgId, definitionId, recordType, recordId],
    );
    return running.rowCount > 0;
  },
  async insertInstance(
    q: Queryable,
    i: {
      orgId: string;
      id: string;
      definitionId: string;
      versionId: string;
      recordType: string;
      recordId: string;
      parentId: string | null;
      state: string;
      data: Record<string, unknown>;
      startedBy: string | null;
      startedAt: Date;
    },
  ) {
    return (
      await q.query<InstanceRow>(
        `INSERT INTO process_instances (org_id, id, definition_id, version_id, record_type, record_id, parent_id, state, data, started_by, started_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING *`,
        [
          i.orgId,
          i.id,
          i.definitionId,
          i.versionId,
          i.recordType,
          i.recordId,
          i.parentId,
          i.state,
          JSON.stringify(i.data),
          i.startedBy,
          i.startedAt,
        ],
      )
    ).rows[0];
  },
  /** Moves an instance to a state with its data; a final state completes it at `at`. Clears a pending transition. */
  async moveInstance(
    q: Queryable,
    orgId: string,
    id: string,
    m: { state: string; data: Record<string, unknown>; final: boolean; at: Date },
  ) {
    return (
      await q.query<InstanceRow>(
        `UPDATE process_instances SET state = $3, data = $4, pending_transition = NULL,
           status = CASE WHEN $5 THEN 'completed' ELSE status END, completed_at = CASE WHEN $5 THEN $6::timestamptz ELSE completed_at END,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, m.state, JSON.stringify(m.data), m.final, m.at],
      )
    ).rows[0];
  },
  async cancelInstance(q: Queryable, orgId: string, id: string, at: Date) {
    return (
      await q.query<InstanceRow>(
        `UPDATE process_instances SET status = 'cancelled', completed_at = $3, pending_transition = NULL, version = version + 1, updated_at = now()
           WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, at],
      )
    ).rows[0];
  },
  /** Marks a transition as waiting for approval, saving the data given with it. */
  async setPendingTransition(
    q: Queryable,
    orgId: string,
    id: string,
    transition: string,
    data: Record<string, unknown>,
  ) {
    return (
      await q.query<InstanceRow>(
        'UPDATE process_instances SET pending_transition = $3, data = $4, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *',
        [orgId, id, transition, JSON.stringify(data)],
      )
    ).rows[0];
  },
  async clearPendingTransition(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<InstanceRow>(
        'UPDATE process_instances SET pending_transition = NULL, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *',
        [orgId, id],
      )
    ).rows[0];
  },
  async setAssigneeAndPriority(
    q: Queryable,
    orgId: string,
    id: string,
    assigneeId: string | null,
    priority: InstanceRow['priority'],
  ) {
    return (
      await q.query<InstanceRow>(
        'UPDATE process_instances SET assignee_id = $3, priority = $4, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *',
        [orgId, id, assigneeId, priority],
      )
    ).rows[0];
  },

  /** The history line of a start: into the initial state, no transition. */
  async insertStartHistory(
    q: Queryable,
    h: { orgId: string; id: string; instanceId: string; to: string; actorId: string | null; at: Date },
  ) {
    await q.query(
      'INSERT INTO process_history (org_id, id, instance_id, transition, from_state, to_state, actor_id, comment, at) VALUES ($1,$2,$3,NULL,NULL,$4,$5,NULL,$6)',
      [h.orgId, h.id, h.instanceId, h.to, h.actorId, h.at],
    );
  },
  async insertHistory(
    q: Queryable,
    h: {
      orgId: string;
      id: string;
      instanceId: string;
      transition: string | null;
      from: string;
      to: string;
      actorId: string | null;
      comment: string | null;
      at: Date;
    },
  ) {
    await q.query(
      'INSERT INTO process_history (org_id, id, instance_id, transition, from_state, to_state, actor_id, comment, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
      [h.orgId, h.id, h.instanceId, h.transition, h.from, h.to, h.actorId, h.comment, h.at],
    );
  },
  /** When the instance last entered a state (null if never). */
  async lastEntered(q: Queryable, orgId: string, instanceId: string, state: string): Promise<Date | null> {
    const r = await q.query<{ at: Date | null }>(
      'SELECT max(at) AS at FROM process_history WHERE org_id = $1 AND instance_id = $2 AND to_state = $3',
      [orgId, instanceId, state],
    );
    return r.rows[0]?.at ?? null;
  },

  /** The clock of an instance by key, locked until the caller's transaction ends. */
  async lockClockOfInstance(q: Queryable, orgId: string, instanceId: string, clockKey: string) {
    return (
      await q.query<ClockRow>(
        'SELECT * FROM sla_clocks WHERE org_id = $1 AND instance_id = $2 AND clock_key = $3 FOR UPDATE',
        [orgId, instanceId, clockKey],
      )
    ).rows[0];
  },
  async insertClock(
    q: Queryable,
    c: {
      orgId: string;
      id: string;
      instanceId: string;
      clockKey: string;
      target: Record<string, number>;
      startedAt: Date;
      dueAt: Date;
      warnAt: Date | null;
      totalMs: number;
    },
  ) {
    return (
      await q.query<ClockRow>(
        `INSERT INTO sla_clocks (org_id, id, instance_id, clock_key, status, target, started_at, due_at, warn_at, total_ms)
             VALUES ($1,$2,$3,$4,'running',$5,$6,$7,$8,$9) RETURNING *`,
        [
          c.orgId,
          c.id,
          c.instanceId,
          c.clockKey,
          JSON.stringify(c.target),
          c.startedAt,
          c.dueAt,
          c.warnAt,
          c.totalMs,
        ],
      )
    ).rows[0];
  },
  /** Sets the given columns of a clock and bumps its version. */
  /** The clock's new state written at commit with the batch's others (timer handlers); the row as it will be. */
  bufferClockUpdate(tx: Tx, before: ClockRow, patch: Partial<ClockRow>): ClockRow {
    return bufferRowUpdate(tx, CLOCK_UPDATES, { ...before, ...patch, version: before.version + 1 });
  },
  /** The instance's new assignee and priority written at commit (escalations from timers). */
  bufferAssigneeAndPriority(
    tx: Tx,
    before: InstanceRow,
    assigneeId: string | null,
    priority: InstanceRow['priority'],
  ): InstanceRow {
    return bufferRowUpdate(tx, INSTANCE_UPDATES, {
      ...before,
      assignee_id: assigneeId,
      priority,
      version: before.version + 1,
      updated_at: new Date(),
    });
  },
  async updateClock(q: Queryable, orgId: string, id: string, patch: Partial<ClockRow>) {
    const cols = Object.keys(patch);
    return (
      await q.query<ClockRow>(
        `UPDATE sla_clocks SET ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')}, version = version + 1 WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, ...cols.map((c) => (patch as Record<string, unknown>)[c])],
      )
    ).rows[0];
  },

  /** The approval, locked until the caller's transaction ends. */
  async lockApproval(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<ApprovalRow>('SELECT * FROM approvals WHERE org_id = $1 AND id = $2 FOR UPDATE', [
        orgId,
        id,
      ])
    ).rows[0];
  },
  async insertApproval(
    q: Queryable,
    a: {
      orgId: string;
      id: string;
      instanceId: string;
      transition: string;
      step: number;
      approverRole: string;
      status: 'pending' | 'waiting';
      requestedBy: string | null;
      fields: Record<string, unknown>;
      comment: string | null;
      requestedAt: Date;
    },
  ) {
    await q.query(
      `INSERT INTO approvals (org_id, id, instance_id, transition, step, approver_role, status, requested_by, fields, comment, requested_at)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        a.orgId,
        a.id,
        a.instanceId,
        a.transition,
        a.step,
        a.approverRole,
        a.status,
        a.requestedBy,
        JSON.stringify(a.fields),
        a.comment,
        a.requestedAt,
      ],
    );
  },
  /** Records a decision on an approval (a comment given replaces the request's). */
  async decideApproval(
    q: Queryable,
    orgId: string,
    id: string,
    status: 'approved' | 'rejected',
    decidedBy: string | null,
    comment: string | null,
  ) {
    return (
      await q.query<ApprovalRow>(
        `UPDATE approvals SET status = $3, decided_by = $4, decided_at = now(), comment = COALESCE($5, comment), version = version + 1
             WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, status, decidedBy, comment],
      )
    ).rows[0];
  },
  /** The next step of a multi-step approval becomes the one waiting for a decision. */
  async makeApprovalPending(q: Queryable, orgId: string, id: string) {
    await q.query(
      `UPDATE approvals SET status = 'pending', version = version + 1 WHERE org_id = $1 AND id = $2`,
      [orgId, id],
    );
  },
  /** Cancels the later steps still waiting their turn (a step was rejected). */
  async cancelWaitingApprovals(q: Queryable, orgId: string, instanceId: string) {
    await q.query(
      `UPDATE approvals SET status = 'cancelled', version = version + 1 WHERE org_id = $1 AND instance_id = $2 AND status = 'waiting'`,
      [orgId, instanceId],
    );
  },
  /** Cancels every undecided approval of an instance (it was cancelled). */
  async cancelOpenApprovals(q: Queryable, orgId: string, instanceId: string) {
    await q.query(
      `UPDATE approvals SET status = 'cancelled', version = version + 1 WHERE org_id = $1 AND instance_id = $2 AND status IN ('pending', 'waiting')`,
      [orgId, instanceId],
    );
  },
};
