import type { Queryable } from '../../platform/db/db.ts';
import { cappedCount, fetchPage, type PageRequest, type Sort, sortOf } from '../../platform/db/paging.ts';
import type { CustomerScope } from './customers.policy.ts';

export interface CustomerRow {
  org_id: string;
  id: string;
  kind: 'person' | 'company';
  name: string;
  name_normalized: string;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  person_in_charge: string | null;
  contact_person: string | null;
  position: string | null;
  gender: 'male' | 'female' | 'other' | null;
  birthday: string | null;
  age: number | null;
  best_contact_time: string | null;
  hobbies: string | null;
  family_notes: string | null;
  source_channel: string | null;
  member_level: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  external_ref: string | null;
  owner_id: string | null;
  team_id: string | null;
  assigned_at: Date | null;
  status: 'active' | 'merged' | 'deleted';
  merged_into_id: string | null;
  quiet_hours: Array<[string, string]> | null;
  id_number: string | null;
  /** General notes (备注), added by migration 0017. */
  notes: string | null;
  search_tokens: string;
  /** The pinyin sort key of the name (platform/search/pinyin.ts). */
  name_pinyin: string;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Columns a caller may write, in insert order. */
export const WRITABLE = [
  'kind',
  'name',
  'name_normalized',
  'mobile',
  'email',
  'phone',
  'address',
  'person_in_charge',
  'contact_person',
  'position',
  'gender',
  'birthday',
  'age',
  'best_contact_time',
  'hobbies',
  'family_notes',
  'source_channel',
  'member_level',
  'tags',
  'custom',
  'external_ref',
  'owner_id',
  'team_id',
  'assigned_at',
  'search_tokens',
  'created_by',
  'quiet_hours',
  'id_number',
  'name_pinyin',
  'notes',
] as const;

/**
 * The columns a read shows: all but the search columns (search_tokens, search_vector), which are large, never
 * presented, and needed only by merge and the backfill (they read whole rows).
 */
const SHOWN = [
  'org_id',
  'id',
  'kind',
  'name',
  'name_normalized',
  'mobile',
  'email',
  'phone',
  'address',
  'person_in_charge',
  'contact_person',
  'position',
  'gender',
  'birthday',
  'age',
  'best_contact_time',
  'hobbies',
  'family_notes',
  'source_channel',
  'member_level',
  'tags',
  'custom',
  'external_ref',
  'owner_id',
  'team_id',
  'assigned_at',
  'status',
  'merged_into_id',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'quiet_hours',
  'id_number',
  'notes',
]
  .map((c) => `c.${c}`)
  // The owner's name, for the presenter: no second query per page.
  .concat('(SELECT u.name FROM users u WHERE u.org_id = c.org_id AND u.id = c.owner_id) AS owner_name')
  .join(', ');

export type Writable = { [K in (typeof WRITABLE)[number]]?: unknown };

function jsonify(col: string, v: unknown) {
  return col === 'custom' ? JSON.stringify(v ?? {}) : v;
}

/** Every stored column but the generated search_vector, in table order. */
const STORED = [
  'org_id',
  'id',
  'kind',
  'name',
  'name_normalized',
  'mobile',
  'email',
  'phone',
  'address',
  'person_in_charge',
  'contact_person',
  'position',
  'gender',
  'birthday',
  'age',
  'best_contact_time',
  'hobbies',
  'family_notes',
  'source_channel',
  'member_level',
  'tags',
  'custom',
  'external_ref',
  'owner_id',
  'team_id',
  'assigned_at',
  'status',
  'merged_into_id',
  'search_tokens',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'quiet_hours',
  'id_number',
  'name_pinyin',
  'notes',
] as const;

/**
 * The row an insert of `values` stores, every column given (no database default is left to fill one in), as
 * the database returns it: what a write that audits before it writes (writeWithTrail) hashes.
 */
export function completeRow(orgId: string, id: string, values: Writable, at: Date): CustomerRow {
  const v = values as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const col of STORED) row[col] = v[col] ?? null;
  const quiet = v.quiet_hours;
  Object.assign(row, {
    org_id: orgId,
    id,
    kind: v.kind ?? 'person',
    tags: v.tags ?? [],
    custom: v.custom ?? {},
    status: 'active',
    merged_into_id: null,
    search_tokens: v.search_tokens ?? '',
    name_pinyin: v.name_pinyin ?? '',
    version: 1,
    created_at: at,
    updated_at: at,
    quiet_hours: typeof quiet === 'string' ? JSON.parse(quiet) : (quiet ?? null),
  });
  return row as unknown as CustomerRow;
}

/** The INSERT of a complete row unless an active customer shares its mobile, email or normalized name. */
export function insertUnlessDuplicateStatement(row: CustomerRow) {
  const r = row as unknown as Record<string, unknown>;
  const params = STORED.map((c) =>
    c === 'custom' || c === 'quiet_hours' ? (r[c] === null ? null : JSON.stringify(r[c])) : r[c],
  );
  const at = (c: string) => `$${STORED.indexOf(c as (typeof STORED)[number]) + 1}`;
  const sql = `INSERT INTO customers (${STORED.join(', ')})
    SELECT ${STORED.map((c) => at(c)).join(', ')}
    WHERE NOT EXISTS (
      SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND mobile = ${at('mobile')}
      UNION ALL SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND lower(email) = lower(${at('email')})
      UNION ALL SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND name_normalized = ${at('name_normalized')}
        AND kind = ${at('kind')} AND ${at('name_normalized')} <> '')
    RETURNING id`;
  return { sql, params };
}

export interface ListFilter {
  /** What the caller typed; the q… fields below are derived from it by searchFilter() (search.ts). */
  q?: string;
  /** jieba words of q, all of which must be among the stored tokens. */
  qTokens?: string;
  /** CJK character grams of q, all of which the name must have (then confirmed by ILIKE). */
  qGrams?: string;
  /** q is a Latin fragment the pg_trgm index can look up (a run of 3+ letters or digits, no CJK). */
  qNameLike?: boolean;
  qMobile?: string | null;
  /** 4 to 11 digits: the end of a mobile (only for callers who see mobiles in full). */
  qMobileSuffix?: string | null;
  kind?: string;
  memberLevel?: string;
  sourceChannel?: string;
  ownerId?: string;
  teamId?: string;
  tag?: string;
  ids?: string[];
  /** 'visible' = active or merged (a merged record still opens, pointing at its survivor). */
  status?: 'active' | 'merged' | 'visible';
}

/** Appends scope and filter conditions; returns the WHERE text. */
export function whereOf(orgId: string, scope: CustomerScope, f: ListFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`c.org_id = ${p(orgId)}`];
  if (f.status === 'visible') where.push("c.status <> 'deleted'");
  else where.push(`c.status = ${p(f.status ?? 'active')}`);
  if (!scope.all) {
    const pool = scope.unassigned ? ' OR c.owner_id IS NULL' : '';
    where.push(`(c.owner_id = ${p(scope.userId)} OR c.team_id = ANY(${p(scope.teamIds)}::uuid[])${pool})`);
  }
  if (f.q) {
    // Every alternative can use an index (an arm without one would scan the org's customers). The matches are
    // found first, by id: given the filter directly next to ORDER BY … LIMIT, the planner may instead walk the
    // created_at index and compute every row's tsvector until it has a page (seconds at 200,000 customers).
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const like = () => p(pattern);
    const tokens = 's.search_vector';
    const alts = [`s.external_ref = ${p(f.q)}`];
    if (f.q.includes('@')) alts.push(`lower(s.email) = lower(${p(f.q)})`);
    if (f.qTokens) alts.push(`${tokens} @@ plainto_tsquery('simple', ${p(f.qTokens)})`);
    if (f.qGrams && f.qGrams !== f.qTokens)
      alts.push(`(${tokens} @@ plainto_tsquery('simple', ${p(f.qGrams)}) AND s.name ILIKE ${like()})`);
    if (f.qNameLike) alts.push(`s.name ILIKE ${like()}`);
    if (f.qMobile) alts.push(`s.mobile = ${p(f.qMobile)}`);
    // The last-4 index finds the candidates; the whole suffix confirms them.
    if (f.qMobileSuffix)
      alts.push(
        `(right(s.mobile, 4) = ${p(f.qMobileSuffix.slice(-4))} AND s.mobile LIKE ${p(`%${f.qMobileSuffix}`)})`,
      );
    // The same status condition inside, so the partial indexes on mobile and email apply.
    const status = f.status === 'visible' ? "s.status <> 'deleted'" : `s.status = ${p(f.status ?? 'active')}`;
    where.push(
      `c.id = ANY(ARRAY(SELECT s.id FROM customers s WHERE s.org_id = ${p(orgId)} AND ${status} AND (${alts.join(' OR ')})))`,
    );
  }
  if (f.kind) where.push(`c.kind = ${p(f.kind)}`);
  if (f.memberLevel) where.push(`c.member_level = ${p(f.memberLevel)}`);
  if (f.sourceChannel) where.push(`c.source_channel = ${p(f.sourceChannel)}`);
  if (f.ownerId === 'none') where.push('c.owner_id IS NULL');
  else if (f.ownerId) where.push(`c.owner_id = ${p(f.ownerId)}`);
  if (f.teamId) where.push(`c.team_id = ${p(f.teamId)}`);
  if (f.tag) where.push(`${p(f.tag)} = ANY(c.tags)`);
  if (f.ids) where.push(`c.id = ANY(${p(f.ids)}::uuid[])`);
  return where.join(' AND ');
}

/** Oldest first, exact to the microsecond (rows of one import batch share a millisecond). */
const EXPORT_SORT = sortOf('customers:export', [{ sql: 'c.created_at', type: 'timestamptz' }], 'c.id');

export const customersRepo = {
  async insert(q: Queryable, orgId: string, id: string, values: Writable) {
    const cols = WRITABLE.filter((c) => values[c] !== undefined);
    const params = [orgId, id, ...cols.map((c) => jsonify(c, values[c]))];
    const sql = `INSERT INTO customers (org_id, id, ${cols.join(', ')}) VALUES ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING *`;
    return (await q.query<CustomerRow>(sql, params)).rows[0];
  },

  /**
   * Inserts unless an active customer already has the mobile, the email, or the normalized name of the same kind
   * (one statement: the check and the insert together). Undefined when one does: ask `duplicates` which.
   */
  async insertUnlessDuplicate(
    q: Queryable,
    orgId: string,
    id: string,
    values: Writable,
    dup: { kind: string; mobile: string | null; email: string | null; nameNormalized: string },
  ) {
    const cols = WRITABLE.filter((c) => values[c] !== undefined);
    const params = [
      orgId,
      id,
      dup.mobile,
      dup.email,
      dup.nameNormalized,
      dup.kind,
      ...cols.map((c) => jsonify(c, values[c])),
    ];
    const sql = `INSERT INTO customers (org_id, id, ${cols.join(', ')})
      SELECT $1, $2, ${cols.map((_, i) => `$${i + 7}`).join(', ')}
      WHERE NOT EXISTS (
        SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND mobile = $3
        UNION ALL SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND lower(email) = lower($4)
        UNION ALL SELECT 1 FROM customers WHERE org_id = $1 AND status = 'active' AND name_normalized = $5 AND kind = $6 AND $5 <> '')
      RETURNING *`;
    return (await q.query<CustomerRow>(sql, params, { prepare: true })).rows[0];
  },

  /**
   * Many new customers in one statement (imports). Columns a row leaves undefined take their DEFAULT. The rows
   * come back in no particular order: match them by id.
   */
  async insertMany(q: Queryable, orgId: string, rows: Array<{ id: string; values: Writable }>) {
    if (!rows.length) return [];
    const cols = WRITABLE.filter((c) => rows.some((r) => r.values[c] !== undefined));
    const params: unknown[] = [orgId];
    const tuples = rows.map((r) => {
      params.push(r.id);
      const cells = [`$1`, `$${params.length}`];
      for (const c of cols) {
        if (r.values[c] === undefined) cells.push('DEFAULT');
        else {
          params.push(jsonify(c, r.values[c]));
          cells.push(`$${params.length}`);
        }
      }
      return `(${cells.join(', ')})`;
    });
    const sql = `INSERT INTO customers (org_id, id, ${cols.join(', ')}) VALUES ${tuples.join(', ')} RETURNING *`;
    return (await q.query<CustomerRow>(sql, params)).rows;
  },

  async update(
    q: Queryable,
    orgId: string,
    id: string,
    values: Writable & { status?: string; merged_into_id?: string | null },
  ) {
    const cols = Object.keys(values).filter((c) => (values as Record<string, unknown>)[c] !== undefined);
    const params = [orgId, id, ...cols.map((c) => jsonify(c, (values as Record<string, unknown>)[c]))];
    const sets = cols.map((c, i) => `${c} = $${i + 3}`);
    const sql = `UPDATE customers SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE org_id = $1 AND id = $2 RETURNING *`;
    return (await q.query<CustomerRow>(sql, params)).rows[0];
  },

  async byId(q: Queryable, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
    return (
      await q.query<CustomerRow>(
        `SELECT * FROM customers WHERE org_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
        { prepare: true },
      )
    ).rows[0];
  },

  async byIds(q: Queryable, orgId: string, ids: string[]) {
    return (
      await q.query<CustomerRow>('SELECT * FROM customers WHERE org_id = $1 AND id = ANY($2::uuid[])', [
        orgId,
        ids,
      ])
    ).rows;
  },

  /** Those of the ids the scope sees (merged ones too: they still open, pointing at their survivor). */
  async visibleByIds(q: Queryable, orgId: string, scope: CustomerScope, ids: string[]) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, { status: 'visible', ids }, params);
    return (await q.query<CustomerRow>(`SELECT ${SHOWN} FROM customers c WHERE ${where}`, params)).rows;
  },

  async visibleById(
    q: Queryable,
    orgId: string,
    scope: CustomerScope,
    id: string,
    opts: { forUpdate?: boolean; anyStatus?: boolean } = {},
  ) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, { status: opts.anyStatus ? 'visible' : 'active' }, params);
    params.push(id);
    // A row locked for a change is read whole (merge needs its search tokens); a shown one without them.
    const sql = `SELECT ${opts.forUpdate ? 'c.*' : SHOWN} FROM customers c WHERE ${where} AND c.id = $${params.length}${opts.forUpdate ? ' FOR UPDATE' : ''}`;
    return (await q.query<CustomerRow>(sql, params, { prepare: true })).rows[0];
  },

  /** One page of the list; the capped total only when asked (the first page). */
  async list(
    q: Queryable,
    orgId: string,
    scope: CustomerScope,
    f: ListFilter,
    sort: Sort,
    page: PageRequest,
    withTotal: boolean,
  ) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, f, params);
    // The first page also reads the org's latest change (`_stamp`): a total counted since is still right.
    const stamp = withTotal
      ? ', (SELECT max(updated_at)::text FROM customers WHERE org_id = $1) AS _stamp'
      : '';
    const rows = await fetchPage<CustomerRow & { _stamp?: string }>(
      q,
      sort,
      page,
      params,
      (k) =>
        `SELECT ${SHOWN}, ${k.columns}${stamp} FROM customers c WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
    const latestChange = rows.items[0]?._stamp ?? null;
    for (const r of rows.items) delete r._stamp;
    return { ...rows, latestChange };
  },

  /** How many customers match (up to the cap): the list's total. */
  async count(q: Queryable, orgId: string, scope: CustomerScope, f: ListFilter, cap?: number) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, f, params);
    return cappedCount(q, `FROM customers c WHERE ${where}`, params, cap);
  },

  /** Active customers sharing the mobile, email or normalized name (same kind): duplicate candidates. */
  async duplicates(
    q: Queryable,
    orgId: string,
    c: {
      kind: string;
      mobile: string | null;
      email: string | null;
      nameNormalized: string;
      excludeId?: string;
    },
  ) {
    return (
      await q.query<CustomerRow & { matched_on: string[] }>(
        // Each way of matching is its own indexed lookup (an OR of the three would scan the org's customers).
        `SELECT ${SHOWN}, array_remove(ARRAY[
             CASE WHEN c.mobile IS NOT NULL AND c.mobile = $2 THEN 'mobile' END,
             CASE WHEN c.email IS NOT NULL AND lower(c.email) = lower($3) THEN 'email' END,
             CASE WHEN c.kind = $5 AND c.name_normalized = $4 THEN 'name' END], NULL) AS matched_on
         FROM customers c
         WHERE c.org_id = $1 AND c.id IN (
             SELECT id FROM customers WHERE org_id = $1 AND status = 'active' AND mobile = $2
             UNION SELECT id FROM customers WHERE org_id = $1 AND status = 'active' AND lower(email) = lower($3)
             UNION SELECT id FROM customers WHERE org_id = $1 AND status = 'active' AND name_normalized = $4 AND kind = $5 AND $4 <> '')
           AND ($6::uuid IS NULL OR c.id <> $6::uuid)
         ORDER BY c.created_at LIMIT 10`,
        [orgId, c.mobile, c.email, c.nameNormalized, c.kind, c.excludeId ?? null],
        { prepare: true },
      )
    ).rows;
  },
  /** Fresh planner statistics for the customers table (after a bulk load). */
  async analyze(q: Queryable) {
    await q.query('ANALYZE customers');
  },

  /** The ids of the customers merged into this one (a survivor's timeline shows their history too). */
  async mergedIntoIds(q: Queryable, orgId: string, survivorId: string) {
    return (
      await q.query<{ id: string }>('SELECT id FROM customers WHERE org_id = $1 AND merged_into_id = $2', [
        orgId,
        survivorId,
      ])
    ).rows.map((r) => r.id);
  },

  /** Up to `limit` customers of the scope and filter, oldest first, locked until the transaction ends. */
  async lockVisible(q: Queryable, orgId: string, scope: CustomerScope, f: ListFilter, limit: number) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, f, params);
    params.push(limit);
    return (
      await q.query<CustomerRow>(
        `SELECT c.* FROM customers c WHERE ${where} ORDER BY c.created_at, c.id LIMIT $${params.length} FOR UPDATE`,
        params,
      )
    ).rows;
  },

  /** How many active customers each of these users owns (users owning none are left out). */
  async activeCountsByOwner(q: Queryable, orgId: string, ownerIds: string[]) {
    return (
      await q.query<{ owner_id: string; n: number }>(
        `SELECT owner_id, count(*)::int AS n FROM customers WHERE org_id = $1 AND status = 'active' AND owner_id = ANY($2::uuid[]) GROUP BY owner_id`,
        [orgId, ownerIds],
      )
    ).rows;
  },

  /**
   * Points the tasks linked to one customer at another (a merge); returns them. This writes the tasks module's
   * table, as merge always has; asking the tasks service instead would be the module-shaped way.
   */
  async moveTasksToCustomer(q: Queryable, orgId: string, fromId: string, toId: string) {
    return (
      await q.query<Record<string, unknown>>(
        `UPDATE tasks SET related_id = $3, version = version + 1, updated_at = now()
           WHERE org_id = $1 AND related_type = 'customer' AND related_id = $2 RETURNING *`,
        [orgId, fromId, toId],
      )
    ).rows;
  },

  /** Customers an import batch may match (by external ref, or active by mobile), oldest first, locked. */
  async lockImportMatches(q: Queryable, orgId: string, refs: string[], mobiles: string[]) {
    return (
      await q.query<CustomerRow>(
        `SELECT * FROM customers WHERE org_id = $1 AND (external_ref = ANY($2::text[]) OR (mobile = ANY($3::text[]) AND status = 'active'))
       ORDER BY created_at, id FOR UPDATE`,
        [orgId, refs, mobiles],
      )
    ).rows;
  },

  /** One page of an export: the scope and filter, oldest first (keyset by created_at, id). */
  async exportPage(q: Queryable, orgId: string, scope: CustomerScope, f: ListFilter, page: PageRequest) {
    const params: unknown[] = [];
    const where = whereOf(orgId, scope, f, params);
    return fetchPage<CustomerRow>(
      q,
      EXPORT_SORT,
      page,
      params,
      (k) =>
        `SELECT c.*, ${k.columns} FROM customers c WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
};
