/**
 * The keyset cursor codec and SQL pieces: a cursor round-trips the exact key texts, names its sort, and
 * anything else (another sort, garbage, tampered values that would not cast) is a 422 on `cursor`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../http/errors.ts';
import { decodeCursor, encodeCursor, keysetSql, mergePages, pageOf, sortOf } from './paging.ts';

const ID = '0b6f7c1e-3c52-4d2a-9a4e-5f1d2c3b4a59';
const byCreated = sortOf(
  'things:-createdAt',
  [{ sql: 'x.created_at', type: 'timestamptz', desc: true }],
  'x.id',
);
const byName = sortOf('things:name', [{ sql: 'x.name', type: 'text' }], 'x.id');
const byDue = sortOf(
  'things:due',
  [
    { sql: 'x.open', type: 'bool', desc: true },
    { sql: 'x.due_at', type: 'timestamptz', nulls: 'last' },
  ],
  'x.id',
);

function rejects422(fn: () => unknown) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.status, 422);
    assert.deepEqual(Object.keys(e.fields ?? {}), ['cursor']);
    return true;
  });
}

describe('cursor codec', () => {
  it('round-trips microsecond instants and ids, as opaque base64url', () => {
    const c = encodeCursor(byCreated, ['2026-01-01T00:00:00.123456Z', ID]);
    assert.match(c, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(byCreated, c), ['2026-01-01T00:00:00.123456Z', ID]);
  });

  it('refuses a cursor made for another sort or list', () => {
    const c = encodeCursor(byCreated, ['2026-01-01T00:00:00.123456Z', ID]);
    rejects422(() => decodeCursor(byName, c));
    rejects422(() =>
      decodeCursor(
        sortOf('others:-createdAt', [{ sql: 'o.created_at', type: 'timestamptz', desc: true }], 'o.id'),
        c,
      ),
    );
  });

  it('refuses garbage and values that would not cast', () => {
    for (const bad of [
      '',
      'not a cursor!',
      'e30',
      Buffer.from('[1,2]').toString('base64url'),
      '%%%',
      'a'.repeat(40),
    ]) {
      rejects422(() => decodeCursor(byCreated, bad));
    }
    const forged = (k: unknown[]) =>
      Buffer.from(JSON.stringify({ s: byCreated.id, k })).toString('base64url');
    rejects422(() => decodeCursor(byCreated, forged(['2026-13-01T00:00:00.000000Z', ID])));
    rejects422(() => decodeCursor(byCreated, forged(['2026-02-30T00:00:00.000000Z', ID])));
    rejects422(() => decodeCursor(byCreated, forged(['yesterday', ID])));
    rejects422(() => decodeCursor(byCreated, forged(['2026-01-01T00:00:00.123456Z', 'not-a-uuid'])));
    rejects422(() => decodeCursor(byCreated, forged([null, ID]))); // a NOT NULL key cannot be null
    rejects422(() => decodeCursor(byCreated, forged(['2026-01-01T00:00:00.123456Z'])));
    rejects422(() => decodeCursor(byDue, forged(['maybe', null, ID])));
    assert.deepEqual(decodeCursor(byDue, encodeCursor(byDue, ['true', null, ID])), ['true', null, ID]);
  });
});

describe('keyset SQL', () => {
  it('a uniform sort compares one row value, walking the index', () => {
    const params: unknown[] = ['org'];
    const k = keysetSql(
      byCreated,
      { limit: 7, cursor: encodeCursor(byCreated, ['2026-01-01T00:00:00.123456Z', ID]) },
      params,
    );
    assert.equal(k.where, '(x.created_at, x.id) < ($2::timestamptz, $3::uuid)');
    assert.equal(k.orderBy, 'x.created_at DESC, x.id DESC');
    assert.equal(k.limit, '$4');
    assert.deepEqual(params, ['org', '2026-01-01T00:00:00.123456Z', ID, 8]);
    assert.match(
      k.columns,
      /to_char\(\(x\.created_at\) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS\.US"Z"'\) AS _pk0/,
    );
  });

  it('mixed directions and NULLs expand the comparison; a NULL cursor value continues among the NULLs', () => {
    const params: unknown[] = [];
    const k = keysetSql(byDue, { limit: 3, cursor: encodeCursor(byDue, ['true', null, ID]) }, params);
    assert.equal(k.orderBy, 'x.open DESC, x.due_at ASC NULLS LAST, x.id ASC');
    assert.equal(
      k.where,
      '(x.open < $1::boolean OR (x.open = $1::boolean AND x.due_at IS NULL AND x.id > $2::uuid))',
    );
    const k2 = keysetSql(
      byDue,
      { limit: 3, cursor: encodeCursor(byDue, ['true', '2026-01-01T00:00:00.000001Z', ID]) },
      [],
    );
    assert.equal(
      k2.where,
      '(x.open < $1::boolean OR (x.open = $1::boolean AND (x.due_at > $2::timestamptz OR x.due_at IS NULL)) OR (x.open = $1::boolean AND x.due_at = $2::timestamptz AND x.id > $3::uuid))',
    );
  });

  it('the first page has no condition; the next cursor comes from the last row of a full page', () => {
    assert.equal(keysetSql(byName, { limit: 2 }, []).where, 'TRUE');
    const rows = ['a', 'b', 'c'].map((n, i) => ({ name: n, _pk0: n, _pk1: `${ID.slice(0, -1)}${i}` }));
    const page = pageOf<{ name: string }>(byName, rows, 2);
    assert.deepEqual(page.items, [{ name: 'a' }, { name: 'b' }], 'key columns stripped');
    assert.deepEqual(decodeCursor(byName, page.nextCursor!), ['b', `${ID.slice(0, -1)}1`]);
    assert.equal(pageOf(byName, rows.slice(0, 2), 2).nextCursor, null);
  });

  it('merges sources by the sort, NULLs last', () => {
    const row = (open: string, due: string | null, id: string) => ({ id, _pk0: open, _pk1: due, _pk2: id });
    const a = [
      row('true', '2026-01-01T00:00:00.000002Z', `${ID.slice(0, -1)}1`),
      row('true', null, `${ID.slice(0, -1)}3`),
    ];
    const b = [
      row('true', '2026-01-01T00:00:00.000001Z', `${ID.slice(0, -1)}2`),
      row('false', '2020-01-01T00:00:00.000000Z', `${ID.slice(0, -1)}4`),
    ];
    const page = mergePages<{ id: string }>(byDue, [a, b], 3);
    assert.deepEqual(
      page.items.map((r) => r.id.slice(-1)),
      ['2', '1', '3'],
    );
    assert.deepEqual(decodeCursor(byDue, page.nextCursor!), ['true', null, `${ID.slice(0, -1)}3`]);
  });
});
