import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { pruneIdempotencyKeys } from '../src/platform/http/idempotency.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

/**
 * Idempotency-Key on creates: a retry gets the first answer (and creates nothing), the same key with another
 * request is refused (422 naming the header), concurrent duplicates create one record. Run on PGlite and, with
 * DATABASE_URL, on PostgreSQL (where the duplicates really run in parallel on several connections).
 */

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let agent: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
  agent = await a.token('agent');
});
after(() => t.close());

const post = (
  url: string,
  payload: object,
  key?: string,
  token = agent,
  extra: Record<string, string> = {},
) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: as(token, key ? { 'idempotency-key': key, ...extra } : extra),
    payload,
  });

async function count(sql: string, params: unknown[]) {
  return Number((await t.db.query<{ n: string }>(sql, params)).rows[0].n);
}

describe('Idempotency-Key', () => {
  test('a retry returns the first answer (status, body, ETag) and creates nothing', async () => {
    const key = randomUUID();
    const body = { kind: 'person', name: '幂等客户', mobile: '13700137001' };
    const first = await post('/api/v1/customers', body, key);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await post('/api/v1/customers', body, key);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    assert.equal(again.headers['content-type'], first.headers['content-type']);
    assert.equal(
      await count("SELECT count(*) AS n FROM customers WHERE org_id = $1 AND mobile = '+8613700137001'", [
        a.orgId,
      ]),
      1,
    );
    // Without a key, the same body is a new request (here: a possible duplicate).
    assert.equal((await post('/api/v1/customers', body)).statusCode, 409);
  });

  test('a failed first answer (4xx) is replayed too; another body with the same key → 422 on the header', async () => {
    const key = randomUUID();
    const bad = await post('/api/v1/tasks', { title: '' }, key);
    assert.equal(bad.statusCode, 422);
    // zod validation refuses before the key is claimed: the corrected request may reuse the key.
    const ok = await post('/api/v1/tasks', { title: '回电' }, key);
    assert.equal(ok.statusCode, 201, ok.body);
    const other = await post('/api/v1/tasks', { title: '另一个' }, key, agent, { 'accept-language': 'en' });
    assert.equal(other.statusCode, 422, other.body);
    assert.match(other.json().error.fields['Idempotency-Key'], /different request/);
    // Same key on another path is another request too.
    const otherPath = await post('/api/v1/customers', { kind: 'person', name: '回电' }, key);
    assert.equal(otherPath.statusCode, 422);
    assert.ok(otherPath.json().error.fields['Idempotency-Key']);

    // An answer the service refused (409 possible duplicate) is the first answer: replayed, nothing created.
    const dup = { kind: 'person', name: '重复', mobile: '13700137002' };
    assert.equal((await post('/api/v1/customers', dup)).statusCode, 201);
    const k2 = randomUUID();
    const refused = await post('/api/v1/customers', dup, k2);
    assert.equal(refused.statusCode, 409);
    const replay = await post('/api/v1/customers', dup, k2);
    assert.equal(replay.statusCode, 409);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.json(), refused.json());
  });

  test('keys belong to one user of one org', async () => {
    const key = randomUUID();
    const body = { title: '同一个键' };
    const mine = await post('/api/v1/tasks', body, key);
    const colleague = await post('/api/v1/tasks', body, key, await a.token('agent2'));
    const elsewhere = await post('/api/v1/tasks', body, key, await b.token('agent'));
    for (const r of [mine, colleague, elsewhere]) assert.equal(r.statusCode, 201, r.body);
    assert.equal(colleague.headers['idempotent-replayed'], undefined);
    assert.notEqual(colleague.json().id, mine.json().id);
    assert.notEqual(elsewhere.json().id, mine.json().id);
  });

  test('a malformed key answers 422 naming the header', async () => {
    for (const key of ['x'.repeat(256), 'a b', '键']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: { ...as(agent), 'idempotency-key': key },
        payload: { title: 'x' },
      });
      assert.equal(r.statusCode, 422, `${key}: ${r.body}`);
      assert.ok(r.json().error.fields['Idempotency-Key']);
    }
  });

  test('10 concurrent duplicates create exactly one record and all get its answer', async () => {
    for (const [url, payload, table] of [
      ['/api/v1/customers', { kind: 'person', name: '并发客户', mobile: '13700137099' }, 'customers'],
      ['/api/v1/tasks', { title: `并发任务 ${randomUUID()}` }, 'tasks'],
    ] as const) {
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, payload, key)));
      for (const r of answers) assert.equal(r.statusCode, 201, r.body);
      const ids = new Set(answers.map((r) => r.json().id));
      assert.equal(ids.size, 1, `one ${table} id for all`);
      assert.equal(answers.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 9);
      assert.equal(
        await count(`SELECT count(*) AS n FROM ${table} WHERE org_id = $1 AND id = $2`, [
          a.orgId,
          [...ids][0],
        ]),
        1,
      );
    }
    assert.equal(
      await count("SELECT count(*) AS n FROM customers WHERE org_id = $1 AND mobile = '+8613700137099'", [
        a.orgId,
      ]),
      1,
    );
  });

  test('keys expire after 24 hours and the worker prunes them', async () => {
    const key = randomUUID();
    const first = await post('/api/v1/tasks', { title: '过期' }, key);
    assert.equal(first.statusCode, 201);
    await t.db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1", [
      key,
    ]);
    const later = await post('/api/v1/tasks', { title: '过期' }, key);
    assert.equal(later.statusCode, 201);
    assert.equal(later.headers['idempotent-replayed'], undefined);
    assert.notEqual(later.json().id, first.json().id);
    await t.db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1", [
      key,
    ]);
    assert.ok((await pruneIdempotencyKeys(t.db)) >= 1);
    assert.equal(await count('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key]), 0);
  });

  test('the header is documented once and referenced by every authenticated POST', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.equal(doc.components.parameters.IdempotencyKey.in, 'header');
    const ref = { $ref: '#/components/parameters/IdempotencyKey' };
    const posts = Object.entries(doc.paths as Record<string, { post?: { parameters?: unknown[] } }>).filter(
      ([, ops]) => ops.post,
    );
    assert.ok(posts.length > 10);
    for (const [path, ops] of posts) {
      const has = (ops.post!.parameters ?? []).some((p) => JSON.stringify(p) === JSON.stringify(ref));
      assert.equal(has, path !== '/api/v1/auth/login', path);
    }
  });
});
