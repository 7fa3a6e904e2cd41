/**
 * Paging of the administration lists: users, the user directory, teams, roles, API tokens, notifications,
 * webhooks and their deliveries, calendar overrides. Rows share a millisecond and differ in microseconds (or
 * tie); each comes back exactly once, in order, on both engines.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';
import { checkBadCursors, checkList, expectedOrder, keysOf, MICROS, stamp, usText } from './helpers.ts';

let t: TestApp;
let a: TestOrg;
let admin: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  admin = await a.token('admin');
});
after(() => t.close());

const post = async (token: string, url: string, payload: object) => {
  const r = await t.app.inject({ method: 'POST', url, headers: as(token), payload });
  assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
  return r.json();
};
const first = async (token: string, url: string) =>
  (await t.app.inject({ method: 'GET', url, headers: as(token) })).json();

describe('administration lists', () => {
  test('users (all) and the directory (active only), oldest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await post(admin, '/api/v1/users', {
            email: `u${i}@${a.slug}.test`,
            name: `u${i}`,
            password: 'correct-horse-42',
            roleKey: 'agent',
          })
        ).id,
      );
    }
    const all = (
      await t.db.query<{ id: string }>('SELECT id FROM users WHERE org_id = $1', [a.orgId])
    ).rows.map((r) => r.id);
    await stamp(t.db, 'users', 'created_at', all);
    await t.db.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [ids[2]]);
    const keys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0, status AS s FROM users WHERE org_id = $1`,
      [a.orgId],
    );
    const want = expectedOrder(keys, [{}]);
    await checkList(t, admin, '/api/v1/users', want, 'users');
    await checkList(
      t,
      await a.token('agent'),
      '/api/v1/users/directory',
      want.filter((id) => id !== ids[2]),
      'directory',
    );
    await checkBadCursors(
      t,
      admin,
      '/api/v1/users',
      (await first(admin, '/api/v1/users/directory?limit=2')).nextCursor,
    );
  });

  test('teams by name, roles built-in first then by key', async () => {
    // Team names are unique: the id tie-break only guards the order.
    for (const name of ['nb', 'na', 'nc', 'nd', 'nf', 'ne', 'ng'])
      await post(admin, '/api/v1/teams', { name });
    await t.db.query(`UPDATE teams SET name = 'team-one' WHERE id = $1`, [a.teamId]); // compare ASCII names only
    const tkeys = await keysOf(t.db, 'SELECT id, name AS k0 FROM teams WHERE org_id = $1', [a.orgId]);
    await checkList(t, admin, '/api/v1/teams', expectedOrder(tkeys, [{}]), 'teams');

    for (const key of ['zeta_role', 'alpha_role', 'mid_role', 'beta_role'])
      await post(admin, '/api/v1/roles', { key, name: key, permissions: ['customer.read'] });
    const rkeys = await keysOf(
      t.db,
      'SELECT id, builtin::text AS k0, key AS k1 FROM roles WHERE org_id = $1',
      [a.orgId],
    );
    await checkList(
      t,
      admin,
      '/api/v1/roles',
      expectedOrder(rkeys, [{ desc: true, as: 'bool' }, {}]),
      'roles',
    );
    await checkBadCursors(
      t,
      admin,
      '/api/v1/roles',
      (await first(admin, '/api/v1/teams?limit=2')).nextCursor,
    );
  });

  test('API tokens: your own, newest first', async () => {
    const agent = await a.token('agent');
    for (let i = 0; i < MICROS.length; i++) await post(agent, '/api/v1/auth/tokens', { name: `tok${i}` });
    const ids = (
      await t.db.query<{ id: string }>('SELECT id FROM api_tokens WHERE user_id = $1', [a.users.agent.id])
    ).rows.map((r) => r.id);
    await stamp(t.db, 'api_tokens', 'created_at', ids);
    const keys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0 FROM api_tokens WHERE user_id = $1`,
      [a.users.agent.id],
    );
    await checkList(t, agent, '/api/v1/auth/tokens', expectedOrder(keys, [{ desc: true }]), 'tokens');
  });

  test('notifications: your own, newest first; unread only; before= no longer pages', async () => {
    const ids = MICROS.map(() => randomUUID());
    for (const [i, id] of ids.entries()) {
      await t.db.query(
        `INSERT INTO notifications (org_id, id, user_id, kind, title, read_at) VALUES ($1, $2, $3, 'test', $4, $5)`,
        [a.orgId, id, a.users.agent.id, `n${i}`, i % 3 === 0 ? new Date() : null],
      );
    }
    await stamp(t.db, 'notifications', 'created_at', ids);
    const keys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0, (read_at IS NULL)::text AS unread FROM notifications WHERE user_id = $1`,
      [a.users.agent.id],
    );
    const agent = await a.token('agent');
    await checkList(
      t,
      agent,
      '/api/v1/notifications',
      expectedOrder(keys, [{ desc: true }]),
      'notifications',
    );
    const unread = new Set<string>(ids.filter((_, i) => i % 3 !== 0));
    await checkList(
      t,
      agent,
      '/api/v1/notifications?unread=1',
      expectedOrder(
        keys.filter((k) => unread.has(k.id)),
        [{ desc: true }],
      ),
      'unread notifications',
    );
    assert.equal((await first(agent, '/api/v1/notifications?limit=1')).unread, unread.size);
  });

  test('webhooks (oldest first) and an endpoint’s deliveries (newest first)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < MICROS.length; i++)
      ids.push(
        (await post(admin, '/api/v1/webhooks', { url: `https://hooks.example.com/h${i}`, events: ['*'] })).id,
      );
    await stamp(t.db, 'webhook_endpoints', 'created_at', ids);
    const keys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0 FROM webhook_endpoints WHERE org_id = $1`,
      [a.orgId],
    );
    await checkList(t, admin, '/api/v1/webhooks', expectedOrder(keys, [{}]), 'webhooks');

    const deliveries = MICROS.map(() => randomUUID());
    for (const id of deliveries) {
      await t.db.query(
        `INSERT INTO webhook_deliveries (org_id, id, endpoint_id, event, body) VALUES ($1, $2, $3, 'webhook.test', '{}')`,
        [a.orgId, id, ids[0]],
      );
    }
    await stamp(t.db, 'webhook_deliveries', 'created_at', deliveries);
    const dkeys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0 FROM webhook_deliveries WHERE endpoint_id = $1`,
      [ids[0]],
    );
    await checkList(
      t,
      admin,
      `/api/v1/webhooks/${ids[0]}/deliveries`,
      expectedOrder(dkeys, [{ desc: true }]),
      'deliveries',
    );
    await checkBadCursors(
      t,
      admin,
      `/api/v1/webhooks/${ids[0]}/deliveries`,
      (await first(admin, '/api/v1/webhooks?limit=2')).nextCursor,
    );
  });

  test('calendar overrides: by date, the org-wide one before scoped ones', async () => {
    const days = [
      '2031-03-02',
      '2031-03-01',
      '2031-03-02',
      '2031-03-03',
      '2031-03-01',
      '2031-03-02',
      '2031-03-04',
      '2031-03-01',
    ];
    const scopes = [null, null, 'shop-b', null, 'shop-a', 'shop-a', null, 'shop-b'];
    for (let i = 0; i < days.length; i++) {
      await post(admin, '/api/v1/calendar/overrides', {
        date: days[i],
        kind: 'holiday',
        name: `o${i}`,
        ...(scopes[i] ? { scope: scopes[i] } : {}),
      });
    }
    const keys = await keysOf(
      t.db,
      `SELECT id, to_char(date, 'YYYY-MM-DD') AS k0, scope AS k1 FROM calendar_overrides WHERE org_id = $1`,
      [a.orgId],
    );
    await checkList(
      t,
      admin,
      '/api/v1/calendar/overrides',
      expectedOrder(keys, [{}, { nulls: 'first' }]),
      'overrides',
    );
    const shopA = keys.filter((k) => k.keys[1] === null || k.keys[1] === 'shop-a');
    await checkList(
      t,
      admin,
      '/api/v1/calendar/overrides?scope=shop-a&from=2031-03-01&to=2031-03-03',
      expectedOrder(
        shopA.filter((k) => k.keys[0]! <= '2031-03-03'),
        [{}, { nulls: 'first' }],
      ),
      'overrides of shop-a',
    );
  });
});

describe('every list pages', () => {
  // Not database lists: the permission catalog is a constant, calendar days are computed for a bounded range.
  // Constants in code or computed ranges, not database lists.
  const FIXED = new Set(['/api/v1/permissions', '/api/v1/calendar/days', '/api/v1/event-types']);
  test('each GET answering items takes limit and cursor and answers nextCursor (OpenAPI)', async () => {
    type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; type?: string | string[] };
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<
        string,
        {
          get?: {
            parameters?: Array<{ in: string; name: string }>;
            responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
          };
        }
      >;
    };
    const lists: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = item.get;
      const schema = op?.responses['200']?.content?.['application/json']?.schema;
      if (!op || !schema) continue;
      const pages = [schema, ...(schema.anyOf ?? [])].filter((s) => s.properties?.items?.type === 'array');
      if (!pages.length || FIXED.has(path)) continue;
      lists.push(path);
      const query = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      assert.ok(query.has('limit') && query.has('cursor'), `${path} takes limit and cursor`);
      for (const p of pages) assert.ok(p.properties?.nextCursor, `${path} answers nextCursor`);
    }
    assert.ok(lists.length >= 22, `found the lists: ${lists.join(', ')}`);
  });
});
