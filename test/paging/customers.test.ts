/**
 * Paging of the customer lists (customers in every sort, contacts, timeline, custom fields) and the audit
 * trail: with rows inside one millisecond that differ in microseconds, and ties, each row comes back exactly
 * once and in order, on PGlite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pinyinSortKey } from '../../src/platform/search/pinyin.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';
import { checkBadCursors, checkList, expectedOrder, keysOf, MICROS, stamp, usText, walk } from './helpers.ts';

let t: TestApp;
let a: TestOrg;
let admin: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  admin = await a.token('admin');
});
after(() => t.close());

const post = async (url: string, payload: object) => {
  const r = await t.app.inject({ method: 'POST', url, headers: as(admin), payload });
  assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
  return r.json();
};

describe('customers', () => {
  const ids: string[] = [];
  before(async () => {
    for (let i = 0; i < MICROS.length; i++) {
      ids.push(
        (await post('/api/v1/customers', { kind: 'person', name: `p${i}`, tags: ['paging'], ownerId: null }))
          .id,
      );
    }
    await stamp(t.db, 'customers', 'created_at', ids);
    await stamp(t.db, 'customers', 'updated_at', ids, [...MICROS].reverse());
    // Names with ties (four share one name), sorted by their pinyin key (丁 ding < 上 shang < 严 yan < 于 yu).
    const names = ['严', '丁', '上', '严', '于', '严', 'Ann', '严', '丁一', '于', '丁'];
    for (let i = 0; i < ids.length; i++)
      await t.db.query('UPDATE customers SET name = $2, name_pinyin = $3 WHERE id = $1', [
        ids[i],
        names[i],
        pinyinSortKey(names[i]!),
      ]);
  });

  const SORTS = [
    ['createdAt', 'created_at'],
    ['updatedAt', 'updated_at'],
    ['name', 'name'],
  ] as const;
  for (const [sort, col] of SORTS) {
    for (const desc of [false, true]) {
      const name = `${desc ? '-' : ''}${sort}`;
      test(`sort=${name}: every customer once, in order`, async () => {
        const keys = await keysOf(
          t.db,
          `SELECT id, ${col === 'name' ? 'name_pinyin' : usText(col)} AS k0 FROM customers WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        const want = expectedOrder(keys, [{ desc }]);
        await checkList(t, admin, `/api/v1/customers?tag=paging&sort=${name}`, want, `customers ${name}`);
      });
    }
  }

  test('the capped total comes with the first page only', async () => {
    const w = await walk(t, admin, '/api/v1/customers?tag=paging', 4);
    assert.equal(w.pages[0].total, 11);
    assert.equal(w.pages[0].totalCapped, false);
    for (const p of w.pages.slice(1)) assert.equal(p.total, undefined, 'no count on later pages');
  });

  test('past 10,000 rows the total stops counting and says so', async () => {
    const big = await buildOrg(t.services);
    await t.db.query(
      `INSERT INTO customers (org_id, id, kind, name, name_normalized)
       SELECT $1, gen_random_uuid(), 'person', 'bulk ' || n, 'bulk' || n FROM generate_series(1, 10001) n`,
      [big.orgId],
    );
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/customers?limit=5',
      headers: as(await big.token('admin')),
    });
    assert.equal(res.json().total, 10_000);
    assert.equal(res.json().totalCapped, true);
    // One deleted (as a user deletes: the record leaves the list) and the total is exact again.
    const one = (
      await t.db.query<{ id: string }>(`SELECT id FROM customers WHERE org_id = $1 AND name = 'bulk 1'`, [
        big.orgId,
      ])
    ).rows[0];
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${one.id}`,
      headers: as(await big.token('admin')),
    });
    assert.equal(del.statusCode, 204);
    const exact = await t.app.inject({
      method: 'GET',
      url: '/api/v1/customers?limit=5',
      headers: as(await big.token('admin')),
    });
    assert.deepEqual([exact.json().total, exact.json().totalCapped], [10_000, false]);
  });

  test('the first page’s total follows every change (it is counted again after one)', async () => {
    const org = await buildOrg(t.services);
    const token = await org.token('admin');
    const total = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/customers?limit=2', headers: as(token) })).json()
        .total as number;
    const before = await total();
    assert.equal(await total(), before, 'unchanged when nothing changed');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(token),
      payload: { kind: 'person', name: '计数变化' },
    });
    assert.equal(made.statusCode, 201);
    assert.equal(await total(), before + 1);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/customers/${made.json().id}`, headers: as(token) });
    assert.equal(await total(), before);
  });

  test('a cursor of another sort or garbage is a 422 on cursor', async () => {
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/v1/customers?tag=paging&sort=name&limit=3',
      headers: as(admin),
    });
    assert.ok(first.json().nextCursor);
    await checkBadCursors(t, admin, '/api/v1/customers?tag=paging&sort=createdAt', first.json().nextCursor);
  });
});

describe('contacts, timeline, custom fields, audit trail', () => {
  let company: string;
  const contactIds: string[] = [];
  before(async () => {
    company = (await post('/api/v1/customers', { kind: 'company', name: '分页公司' })).id;
    for (let i = 0; i < MICROS.length; i++) {
      contactIds.push(
        (await post('/api/v1/contacts', { customerId: company, name: `c${i}`, isPrimary: i === 4 })).id,
      );
    }
    await stamp(t.db, 'contacts', 'created_at', contactIds);
  });

  test('contacts: the primary first, then by creation; both endpoints', async () => {
    const keys = await keysOf(
      t.db,
      `SELECT id, is_primary::text AS k0, ${usText('created_at')} AS k1 FROM contacts WHERE customer_id = $1`,
      [company],
    );
    const want = expectedOrder(keys, [{ desc: true, as: 'bool' }, {}]);
    assert.equal(want[0], contactIds[4]);
    await checkList(t, admin, `/api/v1/contacts?customerId=${company}`, want, 'contacts');
    await checkList(t, admin, `/api/v1/customers/${company}/contacts`, want, 'customer contacts');
  });

  test('timeline: activities and history interleaved, newest first', async () => {
    const acts: string[] = [];
    for (let i = 0; i < MICROS.length; i++) {
      acts.push(
        (await post(`/api/v1/customers/${company}/activities`, { kind: 'note', body: `note ${i}` })).id,
      );
    }
    await stamp(t.db, 'activities', 'occurred_at', acts);
    // One activity at exactly the instant of the customer's creation event: a tie across the two sources.
    await t.db.query(
      `UPDATE activities SET occurred_at = (SELECT occurred_at FROM audit_events WHERE entity_id = $2 AND action = 'customer.create') WHERE id = $1`,
      [acts[0], company],
    );
    const keys = [
      ...(await keysOf(
        t.db,
        `SELECT id, ${usText('occurred_at')} AS k0, 'activity' AS k1 FROM activities WHERE customer_id = $1`,
        [company],
      )),
      ...(await keysOf(
        t.db,
        `SELECT id, ${usText('occurred_at')} AS k0, 'event' AS k1 FROM audit_events WHERE entity_type = 'customer' AND entity_id = $1`,
        [company],
      )),
    ];
    assert.ok(keys.length > MICROS.length);
    const want = expectedOrder(keys, [{ desc: true }, { desc: true }]);
    await checkList(t, admin, `/api/v1/customers/${company}/timeline`, want, 'timeline');
  });

  test('custom fields: by position (ties by key)', async () => {
    const ids: string[] = [];
    const positions = [3, 0, 5, 3, 1, 7, 3, 2, 6, 4, 3];
    for (let i = 0; i < positions.length; i++) {
      const key = `f${String.fromCharCode(97 + ((i * 7) % 11))}`;
      ids.push(
        (
          await post('/api/v1/custom-fields', {
            key,
            label: { 'zh-CN': key },
            type: 'text',
            position: positions[i],
          })
        ).id,
      );
    }
    const keys = await keysOf(
      t.db,
      `SELECT id, position::text AS k0, key AS k1 FROM custom_field_defs WHERE entity = 'customer' AND org_id = $1`,
      [a.orgId],
    );
    const want = expectedOrder(keys, [{ as: 'number' }, {}]);
    await checkList(t, admin, '/api/v1/custom-fields?entity=customer', want, 'custom fields');
  });

  test('audit trail: newest first by sequence; before= is gone, cursors are checked', async () => {
    const keys = await keysOf(
      t.db,
      "SELECT id, seq::text AS k0 FROM audit_events WHERE org_id = $1 AND entity_type = 'contact'",
      [a.orgId],
    );
    assert.ok(keys.length >= MICROS.length);
    const want = expectedOrder(keys, [{ desc: true, as: 'number' }]);
    await checkList(t, admin, '/api/v1/audit-events?entityType=contact', want, 'audit events');
    const contacts = await t.app.inject({
      method: 'GET',
      url: `/api/v1/contacts?customerId=${company}&limit=2`,
      headers: as(admin),
    });
    await checkBadCursors(t, admin, '/api/v1/audit-events', contacts.json().nextCursor);
    await checkBadCursors(t, admin, `/api/v1/customers/${company}/timeline`, contacts.json().nextCursor);
  });
});
