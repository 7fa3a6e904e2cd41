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

const versionCache = new Map<string, VersionRow>();

const DEFINITIONS_SORT = sortOf('processes', [{ sql: 'd.key', type: 'text' }], 'd.id');

/** Process definitions (a draft and its key) and their published, immutable versions. */
export const definitionsRepo = {
  async definitionByKey(q: Queryable, orgId: string, key: string) {
    return (
      await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 AND key = $2', [
        orgId,
        key,
      ])
    ).rows[0];
  },
  async setTemplateHash(q: Queryable, orgId: string, id: string, hash: string) {
    await q.query('UPDATE process_definitions SET template_hash = $3 WHERE org_id = $1 AND id = $2', [
      orgId,
      id,
      hash,
    ]);
  },
  async definitionById(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ])
    ).rows[0];
  },
  async definitions(q: Queryable, orgId: string) {
    return (
      await q.query<DefinitionRow>('SELECT * FROM process_definitions WHERE org_id = $1 ORDER BY key', [
        orgId,
      ])
    ).rows;
  },
  /** One page of definitions by key. */
  async definitionsPage(q: Queryable, orgId: string, page: PageRequest) {
    return fetchPage<DefinitionRow>(
      q,
      DEFINITIONS_SORT,
      page,
      [orgId],
      (k) =>
        `SELECT d.*, ${k.columns} FROM process_definitions d WHERE d.org_id = $1 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async versions(q: Queryable, orgId: string, definitionId: string) {
    return (
      await q.query<VersionRow>(
        'SELECT * FROM process_versions WHERE org_id = $1 AND definition_id = $2 ORDER BY number DESC',
        [orgId, definitionId],
      )
    ).rows;
  },
  async versionByNumber(q: Queryable, orgId: string, definitionId: string, n: number) {
    return (
      await q.query<VersionRow>(
        'SELECT * FROM process_versions WHERE org_id = $1 AND definition_id = $2 AND number = $3',
        [orgId, definitionId, n],
      )
    ).rows[0];
  },
  /** Published versions never change, so they are cached by id. */
  async versionById(q: Queryable, orgId: string, id: string) {
    const hit = versionCache.get(id);
    if (hit && hit.org_id === orgId) return hit;
    const row = (
      await q.query<VersionRow>('SELECT * FROM process_versions WHERE org_id = $1 AND id = $2', [orgId, id])
    ).rows[0];
    if (row) versionCache.set(id, row);
    return row;
  },
  /** The definition, locked until the caller's transaction ends. */
  async lockDefinitionById(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<DefinitionRow>(
        'SELECT * FROM process_definitions WHERE org_id = $1 AND id = $2 FOR UPDATE',
        [orgId, id],
      )
    ).rows[0];
  },
  /** The definition, locked until the caller's transaction ends. */
  async lockDefinitionByKey(q: Queryable, orgId: string, key: string) {
    return (
      await q.query<DefinitionRow>(
        'SELECT * FROM process_definitions WHERE org_id = $1 AND key = $2 FOR UPDATE',
        [orgId, key],
      )
    ).rows[0];
  },
  async insertDefinition(q: Queryable, orgId: string, id: string, def: ProcessDefinition, builtin: boolean) {
    return (
      await q.query<DefinitionRow>(
        `INSERT INTO process_definitions (org_id, id, key, record_type, builtin, draft) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
        [orgId, id, def.key, def.recordType, builtin, JSON.stringify(def)],
      )
    ).rows[0];
  },
  async saveDraft(q: Queryable, orgId: string, id: string, def: ProcessDefinition) {
    return (
      await q.query<DefinitionRow>(
        'UPDATE process_definitions SET draft = $3, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *',
        [orgId, id, JSON.stringify(def)],
      )
    ).rows[0];
  },
  async setCurrentVersion(q: Queryable, orgId: string, id: string, number: number) {
    return (
      await q.query<DefinitionRow>(
        'UPDATE process_definitions SET current_version = $3, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *',
        [orgId, id, number],
      )
    ).rows[0];
  },
  async insertVersion(
    q: Queryable,
    v: {
      orgId: string;
      id: string;
      definitionId: string;
      number: number;
      definition: ProcessDefinition;
      publishedBy: string | null;
    },
  ) {
    return (
      await q.query<{ id: string }>(
        'INSERT INTO process_versions (org_id, id, definition_id, number, definition, published_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
        [v.orgId, v.id, v.definitionId, v.number, JSON.stringify(v.definition), v.publishedBy],
      )
    ).rows[0];
  },
  /** Every published version of the org's definitions, each saying whether it is its definition's current one. */
  async publishedVersions(q: Queryable, orgId: string) {
    return (
      await q.query<{ definition: ProcessDefinition; current: boolean }>(
        `SELECT v.definition, (d.current_version = v.number) AS current FROM process_versions v
       JOIN process_definitions d ON d.org_id = v.org_id AND d.id = v.definition_id WHERE v.org_id = $1`,
        [orgId],
      )
    ).rows;
  },
};
