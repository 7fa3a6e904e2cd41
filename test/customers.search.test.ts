import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { makeServices } from '../src/kept.ts';
import { backfillSearchTokens } from '../src/modules/customers/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { PostgresDb } from '../src/platform/db/postgres.ts';
import { joinTokens, SEARCH_TOKENS_VERSION, searchWords } from '../src/platform/search/tokens.ts';
import { as, buildOrg, makeTestApp, onPostgres, type TestApp, type TestOrg, testConfig } from './harness.ts';

/**
 * Customer search (GET /api/v1/customers?q=): Chinese name fragments, Latin fragments, the last 4+ digits of a
 * mobile (roles that see mobiles in full; test/abuse/masked-fields.test.ts for the others), the full mobile and email; scope still applies; and the backfill that gives existing customers the
 * tokens fragment search needs.
 */
let t: TestApp;
let a: TestOrg;
let admin: string;
const ids: Record<string, string> = {};

async function create(token: string, body: Record<string, unknown>) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(token),
    payload: body,
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string; name: string };
}

async function search(token: string, q: string): Promise<string[]> {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/customers?q=${encodeURIComponent(q)}&limit=200`,
    headers: as(token),
  });
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().items as Array<{ name: string }>).map((c) => c.name).sort();
}

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  admin = await a.token('admin');
  const people: Array<Record<string, unknown>> = [
    { name: '王静怡', mobile: '13600000077', email: 'jingyi.wang@example.com' },
    { name: '张静怡', mobile: '13900005678' },
    { name: '王小静', mobile: '13700001234' },
    { name: '李静', mobile: '13800000078' },
    { name: '欧阳娜娜', mobile: '13500000077' },
    { kind: 'company', name: 'Acme Trading Co', mobile: '15000000555' },
    { kind: 'company', name: '杭州悦享电子商务有限公司', mobile: '15200000777' },
    { name: '赵强', address: '北京市朝阳区建国路88号', mobile: '15100000666' },
  ];
  for (const p of people) ids[p.name as string] = (await create(admin, { kind: 'person', ...p })).id;
});
after(() => t.close());

describe('customer search', () => {
  test('a 2-character Chinese fragment finds the names that contain it, and only those', async () => {
    assert.deepEqual(await search(admin, '王静'), ['王静怡']);
    assert.deepEqual(await search(admin, '静怡'), ['张静怡', '王静怡']);
    assert.deepEqual(await search(admin, '阳娜'), ['欧阳娜娜']);
    assert.deepEqual(await search(admin, '王怡'), [], 'characters that are not adjacent do not match');
    assert.deepEqual(await search(admin, '静王'), [], 'nor in the other order');
  });

  test('3+ character fragments, whole names and a single character', async () => {
    assert.deepEqual(await search(admin, '王静怡'), ['王静怡']);
    assert.deepEqual(await search(admin, '阳娜娜'), ['欧阳娜娜']);
    assert.deepEqual(await search(admin, '欧阳娜娜'), ['欧阳娜娜']);
    assert.deepEqual(
      await search(admin, '小静怡'),
      [],
      'all pairs exist in some name, but not together in one',
    );
    // jieba cuts 州悦享 as one word, which the company's words do not have: found by its character pairs.
    assert.deepEqual(await search(admin, '州悦享'), ['杭州悦享电子商务有限公司']);
    assert.deepEqual(await search(admin, '州享悦'), []);
    assert.deepEqual(await search(admin, '静'), ['张静怡', '李静', '王小静', '王静怡']);
  });

  test('words of other fields still match (address), as before', async () => {
    assert.deepEqual(await search(admin, '朝阳区'), ['赵强']);
  });

  test('a Latin fragment of 3+ letters matches anywhere in the name, in any case', async () => {
    assert.deepEqual(await search(admin, 'cme'), ['Acme Trading Co']);
    assert.deepEqual(await search(admin, 'TRAD'), ['Acme Trading Co']);
    assert.deepEqual(await search(admin, 'trading co'), ['Acme Trading Co']);
    assert.deepEqual(await search(admin, 'acne'), []);
  });

  test('the last 4 digits of a mobile, the full mobile and the email find the customer', async () => {
    assert.deepEqual(await search(admin, '0077'), ['欧阳娜娜', '王静怡']);
    assert.deepEqual(await search(admin, '5678'), ['张静怡']);
    assert.deepEqual(await search(admin, '１２３４'), ['王小静'], 'full-width digits');
    assert.deepEqual(await search(admin, '13600000077'), ['王静怡']);
    assert.deepEqual(await search(admin, '136 0000 0077'), ['王静怡']);
    assert.deepEqual(await search(admin, 'JingYi.Wang@example.com'), ['王静怡']);
  });

  test('the last 4+ digits find the mobile for a role that sees it; no other digit run is searchable', async () => {
    assert.deepEqual(await search(admin, '00077'), ['欧阳娜娜', '王静怡']);
    assert.deepEqual(await search(admin, '600000077'), ['王静怡']);
    // Each of these is part of 13600000077 but not its last 4 or more digits.
    for (const q of ['077', '1360000', '3600', '0000']) assert.deepEqual(await search(admin, q), [], q);
  });

  test('agents find only customers in their scope', async () => {
    const outsider = await t.services.identity.createUser(await a.ctx('admin'), {
      email: `searcher@${a.slug}.test`,
      name: '组外坐席',
      password: 'correct-horse-42',
      roleKey: 'agent',
    });
    await create(admin, { kind: 'person', name: '王静雯', mobile: '13600009999', ownerId: outsider.id });
    await create(admin, {
      kind: 'person',
      name: '王静安',
      mobile: '13600008888',
      ownerId: a.users.agent2.id,
    });
    const agent = await a.token('agent');
    assert.deepEqual(await search(agent, '王静'), ['王静安'], "a team mate's customer, not another team's");
    assert.deepEqual(await search(agent, '9999'), []);
    assert.deepEqual(await search(admin, '王静'), ['王静安', '王静怡', '王静雯']);
  });

  test('another org never sees these customers', async () => {
    const b = await buildOrg(t.services);
    assert.deepEqual(await search(await b.token('admin'), '静怡'), []);
    assert.deepEqual(await search(await b.token('admin'), '0077'), []);
  });
});

describe('search and the database locale', () => {
  test('Chinese fragments are found under an lc_ctype of C too, where pg_trgm sees no Chinese', async () => {
    if (onPostgres) {
      const base = new URL(process.env.DATABASE_URL as string);
      const name = `kept_t_c_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: base.toString() });
      await admin.connect();
      await admin.query(
        `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
      const url = new URL(base.toString());
      url.pathname = `/${name}`;
      const db = new PostgresDb(url.toString(), 2);
      try {
        await migrate(db);
        assert.deepEqual(
          (await db.query("SELECT show_trgm('王静怡') AS t")).rows[0],
          { t: [] },
          'sanity: no trigrams in Chinese under C',
        );
        const services = makeServices(db, testConfig());
        const org = await buildOrg(services);
        const ctx = await org.ctx('admin');
        for (const [n, mobile] of [
          ['王静怡', '13600000077'],
          ['张静怡', '13900005678'],
          ['Acme Trading', '15000000555'],
        ]) {
          await services.customers.create(ctx, { kind: 'person', name: n, mobile });
        }
        const names = async (q: string) =>
          (await services.customers.list(ctx, { q })).items.map((c) => c.name).sort();
        assert.deepEqual(await names('静怡'), ['张静怡', '王静怡']);
        assert.deepEqual(await names('王静怡'), ['王静怡']);
        assert.deepEqual(await names('王怡'), []);
        assert.deepEqual(await names('0077'), ['王静怡']);
        assert.deepEqual(await names('trad'), ['Acme Trading']);
      } finally {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    } else {
      // Embedded PGlite's database is UTF-8 with a C.UTF-8 ctype: pg_trgm and ILIKE treat Chinese and accented
      // letters as a UTF-8 server does (the suite above runs on it); no database to create there.
      const r = await t.db.query<{ datctype: string; enc: string }>(
        'SELECT datctype, pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()',
      );
      assert.deepEqual(r.rows[0], { datctype: 'C.UTF-8', enc: 'UTF8' });
      assert.deepEqual(await search(admin, 'ACME'), ['Acme Trading Co']);
    }
  });
});

describe('search token backfill', () => {
  test('existing customers get the current tokens in batches, once, and resume where they stopped', async () => {
    const org = await buildOrg(t.services);
    const token = await org.token('admin');
    const names = ['周思琪', '刘思远', '吴雨思', '郑雨桐', '林可欣'];
    // The last two characters of each name are not among its jieba words: only the new tokens find them.
    const fragment = (name: string) => name.slice(1);
    for (const [i, name] of names.entries())
      await create(token, { kind: 'person', name, mobile: `1880000000${i}` });
    // As before the upgrade: jieba words only, no state.
    for (const name of names) {
      await t.db.query('UPDATE customers SET search_tokens = $3 WHERE org_id = $1 AND name = $2', [
        org.orgId,
        name,
        joinTokens(searchWords([name])),
      ]);
    }
    await t.db.query('DELETE FROM customer_search_state');
    for (const name of names)
      assert.deepEqual(await search(token, fragment(name)), [], `${fragment(name)} is not a stored word yet`);
    assert.deepEqual(
      await search(token, '周思琪'),
      ['周思琪'],
      'whole-word search works before the backfill',
    );

    // Interrupted after the first 2 customers (by id): the next run does the rest only.
    const byId = (
      await t.db.query<{ id: string }>('SELECT id FROM customers WHERE org_id = $1 ORDER BY id', [org.orgId])
    ).rows;
    await t.db.query(
      'INSERT INTO customer_search_state (org_id, tokens_version, after_id) VALUES ($1, 0, $2)',
      [org.orgId, byId[1].id],
    );
    const progress: Array<[number, number]> = [];
    const r = await backfillSearchTokens(t.db, {
      batchSize: 2,
      onProgress: (p) => p.orgId === org.orgId && progress.push([p.done, p.total]),
    });
    assert.deepEqual(progress, [
      [0, 3],
      [2, 3],
      [3, 3],
    ]);
    assert.ok(r.orgs >= 2, 'orgs without a state row are done too');
    const state = await t.db.query<{ tokens_version: number; after_id: string | null }>(
      'SELECT tokens_version, after_id FROM customer_search_state WHERE org_id = $1',
      [org.orgId],
    );
    assert.deepEqual(state.rows[0], { tokens_version: SEARCH_TOKENS_VERSION, after_id: null });
    for (const [i, row] of byId.entries()) {
      const name = (
        await t.db.query<{ name: string }>('SELECT name FROM customers WHERE org_id = $1 AND id = $2', [
          org.orgId,
          row.id,
        ])
      ).rows[0].name;
      assert.deepEqual(
        await search(token, fragment(name)),
        i < 2 ? [] : [name],
        `${name}: ${i < 2 ? 'done before the interruption' : 'backfilled'}`,
      );
    }

    // From the start: every customer, and a second run has nothing to do.
    await t.db.query(
      'UPDATE customer_search_state SET tokens_version = 0, after_id = NULL WHERE org_id = $1',
      [org.orgId],
    );
    await backfillSearchTokens(t.db, { batchSize: 2 });
    for (const name of names) assert.deepEqual(await search(token, fragment(name)), [name]);
    assert.deepEqual(await search(token, '雨'), ['吴雨思', '郑雨桐']);
    assert.deepEqual(await backfillSearchTokens(t.db), { orgs: 0, customers: 0 });
  });

  test('two backfills at once share the work and agree', async () => {
    const org = await buildOrg(t.services);
    const token = await org.token('admin');
    for (let i = 0; i < 9; i++)
      await create(token, {
        kind: 'person',
        name: `孙悦${'一二三四五六七八九'[i]}`,
        mobile: `1890000000${i}`,
      });
    await t.db.query("UPDATE customers SET search_tokens = '' WHERE org_id = $1", [org.orgId]);
    await t.db.query('UPDATE customer_search_state SET tokens_version = 0, after_id = NULL');
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n;
    const [r1, r2] = await Promise.all([
      backfillSearchTokens(t.db, { batchSize: 2 }),
      backfillSearchTokens(t.db, { batchSize: 3 }),
    ]);
    assert.equal(r1.customers + r2.customers, before, 'each customer written by one of them');
    assert.equal((await search(token, '悦五')).length, 1);
    assert.equal((await search(token, '孙悦')).length, 9);
  });

  test('a merged customer keeps the words its source was found by', async () => {
    const org = await buildOrg(t.services);
    const token = await org.token('admin');
    const target = await create(token, { kind: 'person', name: '冯宝宝', mobile: '18700000001' });
    const source = await create(token, { kind: 'person', name: '冯宝儿', mobile: '18700000002' });
    const m = await t.app.inject({
      method: 'POST',
      url: `/api/v1/customers/${target.id}/merge`,
      headers: as(token),
      payload: { sourceId: source.id },
    });
    assert.equal(m.statusCode, 200, m.body);
    assert.deepEqual(await search(token, '冯宝儿'), ['冯宝宝']);
    await t.db.query(
      'UPDATE customer_search_state SET tokens_version = 0, after_id = NULL WHERE org_id = $1',
      [org.orgId],
    );
    await backfillSearchTokens(t.db);
    assert.deepEqual(await search(token, '冯宝儿'), ['冯宝宝'], 'still after the backfill');
  });
});
