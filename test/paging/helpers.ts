import assert from 'node:assert/strict';
import type { Queryable } from '../../src/platform/db/db.ts';
import { as, type TestApp } from '../harness.ts';

/**
 * Shared by the paging tests: rows get sort values inside one millisecond that differ only in microseconds
 * (and ties), the API is walked page by page with a small limit, and the order that comes back is checked
 * against the values read from the database as text, sorted here in JavaScript.
 */

/** One millisecond (…00.123) and microsecond steps inside it; eleven rows, four of them tied at +3 µs. */
export const BASE = '2026-01-01T00:00:00.123456Z';
export const MICROS = [3, 0, 5, 3, 1, 7, 3, 2, 6, 4, 3];

/** Sets `col` of each row (by id) to BASE + micros[i] µs, in SQL so nothing rounds through a JS Date. */
export async function stamp(
  db: Queryable,
  table: string,
  col: string,
  ids: string[],
  micros: Array<number | null> = MICROS,
  base = BASE,
) {
  for (let i = 0; i < ids.length; i++) {
    const n = micros[i % micros.length];
    await db.query(
      `UPDATE ${table} SET ${col} = CASE WHEN $3::int IS NULL THEN NULL ELSE $1::timestamptz + $3::int * interval '1 microsecond' END WHERE id = $2`,
      [base, ids[i], n],
    );
  }
}

/** SQL text of an instant with its microseconds, in UTC, for reading keys back. */
export const usText = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export interface Walk<T> {
  items: T[];
  pages: Array<Record<string, unknown>>;
}

/** Follows nextCursor from the first page (or from `start`) to the last; fails on a repeated cursor or an error page. */
export async function walk<T = { id: string }>(
  t: TestApp,
  token: string,
  url: string,
  limit: number,
  start: string | null = null,
): Promise<Walk<T>> {
  const max = 60;
  const items: T[] = [];
  const pages: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  let cursor: string | null = start;
  for (let i = 0; i < max; i++) {
    const sep = url.includes('?') ? '&' : '?';
    const res = await t.app.inject({
      method: 'GET',
      url: `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: as(token),
    });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    const body = res.json() as { items: T[]; nextCursor: string | null };
    assert.ok(body.items.length <= limit, 'a page holds at most limit items');
    assert.ok('nextCursor' in body, 'every list says whether more follows');
    pages.push(body);
    items.push(...body.items);
    if (!body.nextCursor) return { items, pages };
    assert.ok(!seen.has(body.nextCursor), `${url}: the cursor repeats`);
    seen.add(body.nextCursor);
    cursor = body.nextCursor;
  }
  assert.fail(`${url}: more than ${max} pages`);
}

export interface KeySpec {
  desc?: boolean;
  /** Where NULLs sort. */
  nulls?: 'first' | 'last';
  /** How to compare the text: as it is (instants, dates, uuids, ASCII), as a number, as a boolean. */
  as?: 'text' | 'number' | 'bool';
}

export interface Keyed {
  id: string;
  keys: Array<string | null>;
}

/** The expected order: by the keys, then by id in the direction of the last key. */
export function expectedOrder(rows: Keyed[], specs: KeySpec[]): string[] {
  const all = [...specs, { desc: specs[specs.length - 1]?.desc }];
  const cmp1 = (s: KeySpec, a: string | null, b: string | null): number => {
    if (a === b) return 0;
    if (a === null) return s.nulls === 'first' ? -1 : 1;
    if (b === null) return s.nulls === 'first' ? 1 : -1;
    let c: number;
    if (s.as === 'number') c = Number(a) - Number(b);
    else if (s.as === 'bool') c = (a === 'true' ? 1 : 0) - (b === 'true' ? 1 : 0);
    else c = a < b ? -1 : 1;
    return s.desc ? -c : c;
  };
  return [...rows]
    .sort((x, y) => {
      const xs = [...x.keys, x.id];
      const ys = [...y.keys, y.id];
      for (let i = 0; i < all.length; i++) {
        const c = cmp1(all[i], xs[i], ys[i]);
        if (c) return c;
      }
      return 0;
    })
    .map((r) => r.id);
}

/** Reads `id` and the key columns (already SQL text) of some rows. */
export async function keysOf(db: Queryable, sql: string, params: unknown[]): Promise<Keyed[]> {
  const rows = (await db.query<{ id: string } & Record<string, string | null>>(sql, params)).rows;
  return rows.map((r) => ({
    id: r.id,
    keys: Object.keys(r)
      .filter((k) => k.startsWith('k'))
      .sort()
      .map((k) => r[k]),
  }));
}

/** Each expected row exactly once, in the expected order, and nothing else. */
export function assertExactlyOnce(got: string[], want: string[], label: string) {
  const dupes = got.filter((id, i) => got.indexOf(id) !== i);
  assert.deepEqual(dupes, [], `${label}: rows repeated across pages`);
  assert.deepEqual(got, want, `${label}: every row once, in order`);
}

/** Walks a list with limits 3 and 7 and checks it against the expected order. */
export async function checkList(
  t: TestApp,
  token: string,
  url: string,
  want: string[],
  label: string,
  pick = (x: { id: string }) => x.id,
) {
  for (const limit of [3, 7]) {
    const w = await walk<{ id: string }>(t, token, url, limit);
    assertExactlyOnce(w.items.map(pick), want, `${label} (limit ${limit})`);
    assert.equal(
      w.pages.length,
      Math.max(1, Math.ceil(want.length / limit)),
      `${label}: no empty page at the end`,
    );
  }
}

/** A cursor of another list, and garbage, answer 422 naming `cursor`. */
export async function checkBadCursors(t: TestApp, token: string, url: string, foreignCursor: string) {
  const sep = url.includes('?') ? '&' : '?';
  for (const bad of [foreignCursor, 'garbage!', Buffer.from('{"s":"x","k":[]}').toString('base64url')]) {
    const res = await t.app.inject({
      method: 'GET',
      url: `${url}${sep}cursor=${encodeURIComponent(bad)}`,
      headers: as(token),
    });
    assert.equal(res.statusCode, 422, `${url} with cursor ${bad}: ${res.body}`);
    assert.ok(res.json().error.fields.cursor, `${url}: the error names cursor`);
  }
}
