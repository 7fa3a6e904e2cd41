import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import type { ProcessDefinition } from './definition.schema.ts';

export interface DefinitionRow {
  org_id: string;
  id: string;
  key: string;
  record_type: string;
  builtin: boolean;
  current_version: number | null;
  draft: unknown;
  template_hash: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  org_id: string;
  id: string;
  definition_id: string;
  number: number;
  definition: ProcessDefinition;
  published_by: string | null;
  published_at: Date;
}

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

const versionCache = new Map<string, VersionRow>();

const DEFINITIONS_SORT = sortOf('processes', [{ sql: 'd.key', type: 'text' }], 'd.id');
const INSTANCES_SORT = sortOf('processInstances', [{ sql: 'i.started_at', type: 'timestamptz', desc: true }], 'i.id');
const APPROVALS_SORT = sortOf('approvals', [{ sql: 'a.requested_at', type: 'timestamptz' }], 'a.id');

export const processesRepo = {
  async definitionByKey(q: Queryable, orgId: string, key: string) {
    return (await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 AND key = $2', [orgId, key])).rows[0];
  },
  async setTemplateHash(q: Queryable, orgId: string, id: string, hash: string) {
    await q.query('UPDATE process_definitions SET template_hash = $3 WHERE org_id = $1 AND id = $2', [orgId, id, hash]);
  },
  async definitionById(q: Queryable, orgId: string, id: string) {
    return (await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 AND id = $2', [orgId, id])).rows[0];
  },
  async definitions(q: Queryable, orgId: string) {
    return (await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 ORDER BY key', [orgId])).rows;
  },
  /** One page of definitions by key. */
  async definitionsPage(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<DefinitionRow>(
      q,
      DEFINITIONS_SORT,
      page,
      [orgId],
      (k) => `SELECT d.*, ${k.columns} FROM process_definitions d WHERE d.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async versions(q: Queryable, orgId: string, definitionId: string) {
    return (
      await q.query<VersionRow>('SELECT * FROM process_versions WHERE org_id = $1 AND definition_id = $2 ORDER BY number DESC', [orgId, definitionId])
    ).rows;
  },
  async versionByNumber(q: Queryable, orgId: string, definitionId: string, n: number) {
    return (
      await q.query<VersionRow>('SELECT * FROM process_versions WHERE org_id = $1 AND definition_id = $2 AND number = $3', [orgId, definitionId, n])
    ).rows[0];
  },
  /** Published versions never change, so they are cached by id. */
  async versionById(q: Queryable, orgId: string, id: string) {
    const hit = versionCache.get(id);
    if (hit && hit.org_id === orgId) return hit;
    const row = (await q.query<VersionRow>('SELECT * FROM process_versions WHERE org_id = $1 AND id = $2', [orgId, id])).rows[0];
    if (row) versionCache.set(id, row);
    return row;
  },
  async instance(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (await q.query<InstanceRow>(`SELECT * FROM process_instances WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [orgId, id])).rows[0];
  },
  /** One page of a record's instances, newest first. */
  async instancesOfRecordPage(q: Queryable, orgId: string, recordType: string, recordId: string, page: PageRequest) {
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
    return fetchPage<ApprovalRow & { record_type: string; record_id: string; definition_id: string; state: string }>(
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
    return (await q.query<ClockRow>('SELECT * FROM sla_clocks WHERE org_id = $1 AND instance_id = $2 ORDER BY clock_key', [orgId, instanceId])).rows;
  },
  async clock(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (await q.query<ClockRow>(`SELECT * FROM sla_clocks WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [orgId, id])).rows[0];
  },
  async approvals(q: Queryable, orgId: string, instanceId: string) {
    return (await q.query<ApprovalRow>('SELECT * FROM approvals WHERE org_id = $1 AND instance_id = $2 ORDER BY requested_at, step', [orgId, instanceId])).rows;
  },
  async history(q: Queryable, orgId: string, instanceId: string) {
    return (
      await q.query<{ id: string; transition: string | null; from_state: string | null; to_state: string; actor_id: string | null; comment: string | null; at: Date }>(
        'SELECT * FROM process_history WHERE org_id = $1 AND instance_id = $2 ORDER BY seq',
        [orgId, instanceId],
      )
    ).rows;
  },
};
