import { fieldError } from '../http/errors.ts';
import type { Queryable, Row } from './db.ts';

/**
 * Keyset paging, the one way every list of Kept pages through its rows.
 *
 * A sort is a list of key parts plus a tie-break on the row id, so the order is total and a page boundary
 * never falls between equal rows. The sort values of the last row travel in an opaque base64url cursor as
 * text read by SQL itself (timestamps with their microseconds, never through a JS Date), and the next page
 * compares against them with explicit casts: exact on PGlite and PostgreSQL alike. A cursor names the sort
 * it was made for; any other cursor (another list, another sort, tampered or garbage) is a 422 on `cursor`.
 */

/** SQL types a sort key may have; each one has an exact text form and a cast back. */
export type KeyType = 'timestamptz' | 'date' | 'text' | 'int' | 'bigint' | 'bool' | 'uuid';

export interface KeyPart {
  /** SQL expression over the query's columns, e.g. `c.created_at` or `(t.status = 'open')`. */
  sql: string;
  type: KeyType;
  desc?: boolean;
  /** Set for a nullable column: where NULLs sort (whatever the direction). Omit for NOT NULL expressions. */
  nulls?: 'first' | 'last';
}

export interface Sort {
  /** Names the list and the sort, e.g. `customers:-createdAt`; a cursor is only valid for the same id. */
  readonly id: string;
  /** The key parts, the id tie-break last. */
  readonly keys: readonly KeyPart[];
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

/**
 * A sort: key parts, then the tie-break on the row id (`idSql`, a uuid) in the direction of the last key,
 * so `ORDER BY created_at DESC, id DESC` can walk one index backwards.
 */
export function sortOf(id: string, keys: KeyPart[], idSql: string): Sort {
  const last = keys[keys.length - 1];
  return { id, keys: [...keys, { sql: idSql, type: 'uuid', desc: last?.desc ?? false }] };
}

const CAST: Record<KeyType, string> = {
  timestamptz: 'timestamptz',
  date: 'date',
  text: 'text',
  int: 'int',
  bigint: 'bigint',
  bool: 'boolean',
  uuid: 'uuid',
};

/** The exact text of a key value, read by SQL: microseconds in UTC for instants, ISO dates. */
function asText(k: KeyPart): string {
  switch (k.type) {
    case 'timestamptz':
      return `to_char((${k.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'date':
      return `to_char(${k.sql}, 'YYYY-MM-DD')`;
    default:
      return `(${k.sql})::text`;
  }
}

const KEY_COL = (i: number) => `_pk${i}`;

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function validDate(y: string, m: string, d: string): boolean {
  const dt = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    dt.getUTCFullYear() === Number(y) && dt.getUTCMonth() === Number(m) - 1 && dt.getUTCDate() === Number(d)
  );
}

/** Whether a cursor value parses as its SQL type: a bad value must be a 422, not a database error. */
function validValue(type: KeyType, v: string): boolean {
  switch (type) {
    case 'timestamptz': {
      const m = TS_RE.exec(v);
      return (
        !!m &&
        Number(m[1]) >= 1 &&
        validDate(m[1], m[2], m[3]) &&
        Number(m[4]) < 24 &&
        Number(m[5]) < 60 &&
        Number(m[6]) < 60
      );
    }
    case 'date': {
      const m = DATE_RE.exec(v);
      return !!m && Number(m[1]) >= 1 && validDate(m[1], m[2], m[3]);
    }
    case 'int':
      return /^-?\d{1,10}$/.test(v) && Math.abs(Number(v)) <= 2_147_483_647;
    case 'bigint':
      return (
        /^-?\d{1,19}$/.test(v) &&
        BigInt(v) <= 9_223_372_036_854_775_807n &&
        BigInt(v) >= -9_223_372_036_854_775_807n
      );
    case 'bool':
      return v === 'true' || v === 'false';
    case 'uuid':
      return UUID_RE.test(v);
    case 'text':
      return v.length <= 1000 && !v.includes('\u0000');
  }
}

const badCursor = () => fieldError('cursor', 'validation.cursor');

export function encodeCursor(sort: Sort, values: ReadonlyArray<string | null>): string {
  return Buffer.from(JSON.stringify({ s: sort.id, k: values })).toString('base64url');
}

/** The key values a cursor carries, checked against the sort; anything else is a 422 on `cursor`. */
export function decodeCursor(sort: Sort, cursor: string): Array<string | null> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const p = parsed as { s?: unknown; k?: unknown };
  if (
    !p ||
    typeof p !== 'object' ||
    p.s !== sort.id ||
    !Array.isArray(p.k) ||
    p.k.length !== sort.keys.length
  )
    throw badCursor();
  const values = p.k as unknown[];
  sort.keys.forEach((k, i) => {
    const v = values[i];
    if (v === null ? !k.nulls : typeof v !== 'string' || !validValue(k.type, v)) throw badCursor();
  });
  return values as Array<string | null>;
}

export interface KeysetSql {
  /** Extra select-list entries carrying the key values as text (`_pk0`, `_pk1`, …); put them after the row's columns. */
  columns: string;
  /** The condition "after the cursor" (`TRUE` on the first page). */
  where: string;
  /** The ORDER BY list (without the keywords). */
  orderBy: string;
  /** The LIMIT placeholder: one row more than the page, to know whether another page follows. */
  limit: string;
}

/**
 * The SQL pieces of one page. Parameters are appended to `params`. When every key is NOT NULL and all go the
 * same direction the condition is a row comparison `(a, id) > ($1, $2)`, which walks an index on (…, a, id);
 * otherwise it is the expanded form `a > $1 OR (a = $1 AND id > $2)`, with NULLs placed as the sort says.
 */
export function keysetSql(sort: Sort, page: PageRequest, params: unknown[]): KeysetSql {
  const p = (v: unknown, type: KeyType) => {
    params.push(v);
    return `$${params.length}::${CAST[type]}`;
  };
  const columns = sort.keys.map((k, i) => `${asText(k)} AS ${KEY_COL(i)}`).join(', ');
  const orderBy = sort.keys
    .map(
      (k) =>
        `${k.sql} ${k.desc ? 'DESC' : 'ASC'}${k.nulls ? ` NULLS ${k.nulls === 'first' ? 'FIRST' : 'LAST'}` : ''}`,
    )
    .join(', ');
  let where = 'TRUE';
  if (page.cursor) {
    const values = decodeCursor(sort, page.cursor);
    const uniform = sort.keys.every((k) => !k.nulls && !!k.desc === !!sort.keys[0].desc);
    if (uniform) {
      const refs = sort.keys.map((k, i) => p(values[i], k.type));
      where = `(${sort.keys.map((k) => k.sql).join(', ')}) ${sort.keys[0].desc ? '<' : '>'} (${refs.join(', ')})`;
    } else {
      const eq: string[] = [];
      const terms: string[] = [];
      sort.keys.forEach((k, i) => {
        const v = values[i];
        const ref = v === null ? null : p(v, k.type);
        const op = k.desc ? '<' : '>';
        let after: string;
        if (ref === null) after = k.nulls === 'first' ? `${k.sql} IS NOT NULL` : 'FALSE';
        else if (k.nulls === 'last') after = `(${k.sql} ${op} ${ref} OR ${k.sql} IS NULL)`;
        else after = `${k.sql} ${op} ${ref}`;
        if (after !== 'FALSE') terms.push(eq.length ? `(${[...eq, after].join(' AND ')})` : after);
        eq.push(ref === null ? `${k.sql} IS NULL` : `${k.sql} = ${ref}`);
      });
      where = terms.length ? `(${terms.join(' OR ')})` : 'FALSE';
    }
  }
  params.push(page.limit + 1);
  return { columns, where, orderBy, limit: `$${params.length}` };
}

type Keyed = Row & Record<string, unknown>;

function keyValues(sort: Sort, row: Keyed): Array<string | null> {
  return sort.keys.map((_, i) => (row[KEY_COL(i)] ?? null) as string | null);
}

function strip<T>(sort: Sort, row: Keyed): T {
  // Copied without the key columns (no `delete`: it would make every row a slow dictionary object).
  const keys = new Set(sort.keys.map((_, i) => KEY_COL(i)));
  const out: Keyed = {};
  for (const k in row) if (!keys.has(k)) out[k] = row[k];
  return out as T;
}

/** The page from rows fetched with keysetSql (up to limit + 1 of them), without the key columns. */
export function pageOf<T>(sort: Sort, rows: Keyed[], limit: number): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => strip<T>(sort, r)),
    nextCursor: rows.length > limit && last ? encodeCursor(sort, keyValues(sort, last)) : null,
  };
}

/**
 * One page in one call: `sql` gets the keyset pieces and returns the statement, e.g.
 * `SELECT t.*, ${k.columns} FROM tasks t WHERE … AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`.
 */
export async function fetchPage<T>(
  q: Queryable,
  sort: Sort,
  page: PageRequest,
  params: unknown[],
  sql: (k: KeysetSql) => string,
): Promise<Page<T>> {
  const k = keysetSql(sort, page, params);
  const rows = (await q.query<Keyed>(sql(k), params, { prepare: true })).rows;
  return pageOf<T>(sort, rows, page.limit);
}

function compareValue(k: KeyPart, a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null || b === null) return (a === null) === (k.nulls === 'first') ? -1 : 1;
  let c: number;
  if (k.type === 'int' || k.type === 'bigint') c = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
  else if (k.type === 'bool') c = a === b ? 0 : a === 'false' ? -1 : 1;
  else c = a < b ? -1 : a > b ? 1 : 0; // fixed-width texts (instants, dates, uuids) and ASCII tags
  return k.desc ? -c : c;
}

/**
 * Merges pages of several sources sorted by the same sort (e.g. tasks and promises, activities and audit
 * events), each fetched with keysetSql from the same cursor, into one page. Text keys are compared by code
 * unit here, so use text keys in merged sorts only for ASCII tags (the source name), never for user text.
 */
export function mergePages<T>(sort: Sort, sources: Keyed[][], limit: number): Page<T> {
  const all = sources.flat();
  all.sort((a, b) => {
    const va = keyValues(sort, a);
    const vb = keyValues(sort, b);
    for (let i = 0; i < sort.keys.length; i++) {
      const c = compareValue(sort.keys[i], va[i], vb[i]);
      if (c) return c;
    }
    return 0;
  });
  return pageOf<T>(sort, all, limit);
}

export const TOTAL_CAP = 10_000;

/**
 * How many rows a list has, counted only up to a cap so a large table is never scanned whole: returns the
 * count, or the cap with `totalCapped` when there are more. `fromWhere` is the `FROM … WHERE …` of the list.
 */
export async function cappedCount(
  q: Queryable,
  fromWhere: string,
  params: unknown[],
  cap = TOTAL_CAP,
): Promise<{ total: number; totalCapped: boolean }> {
  const n = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${cap + 1}) t`,
      params,
      { prepare: true },
    )
  ).rows[0].n;
  return n > cap ? { total: cap, totalCapped: true } : { total: n, totalCapped: false };
}
