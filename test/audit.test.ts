import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAudit } from '../src/platform/audit/audit.ts';
import { sealAll } from '../src/platform/audit/sealer.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
});
after(() => t.close());

async function createCustomer(org: TestOrg, name: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(await org.token('admin')),
    payload: { kind: 'person', name },
  });
  assert.equal(r.statusCode, 201);
  return r.json().id as string;
}

describe('audit trail', () => {
  test('each change writes one event with actor, field diff and request id, chained per org', async () => {
    const id = await createCustomer(a, '审计客户');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      headers: as(await a.token('admin')),
      payload: { memberLevel: '金卡会员' },
    });
    assert.equal(patch.statusCode, 200);
    const evs = (
      await t.db.query<{
        action: string;
        actor_id: string;
        changes: Record<string, unknown>;
        request_id: string;
        seq: number;
      }>(
        'SELECT action, actor_id, changes, request_id, seq FROM audit_events WHERE org_id = $1 AND entity_id = $2 ORDER BY seq',
        [a.orgId, id],
      )
    ).rows;
    assert.deepEqual(
      evs.map((e) => e.action),
      ['customer.create', 'customer.update'],
    );
    assert.equal(evs[1].actor_id, a.users.admin.id);
    assert.deepEqual(evs[1].changes, { member_level: [null, '金卡会员'] });
    assert.ok(evs[1].request_id, 'request id recorded');
    const report = await verifyAudit(t.db, a.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.firstProblem));
    assert.ok(report.events > 10);
  });

  test('a customer created with every kind of field matches the state its audit event recorded', async () => {
    const org = await buildOrg(t.services);
    const admin = await org.token('admin');
    for (const f of [
      { key: 'shoe_size', type: 'number' },
      {
        key: 'visits',
        type: 'multi_select',
        options: [
          { value: 'a', label: { en: 'A' } },
          { value: 'b', label: { en: 'B' } },
        ],
      },
      { key: 'since', type: 'date' },
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/custom-fields',
        headers: as(admin),
        payload: { label: { 'zh-CN': f.key }, ...f },
      });
      assert.equal(r.statusCode, 201, r.body);
    }
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(admin),
      payload: {
        kind: 'company',
        name: '全字段客户有限公司',
        mobile: '13912340000',
        email: 'All.Fields@Example.CN',
        phone: '021-12345678',
        address: '上海市浦东新区',
        birthday: '1990-02-28',
        age: 35,
        gender: 'female',
        tags: ['VIP', '回头客', 'VIP'],
        memberLevel: '金卡',
        sourceChannel: '400热线',
        externalRef: 'ERP-1',
        notes: '月底对账\n联系财务',
        quietHours: [
          ['12:00', '13:30'],
          ['21:00', '08:00'],
        ],
        custom: { shoe_size: 38.5, visits: ['b', 'a'], since: '2020-01-31' },
        ownerId: org.users.agent.id,
      },
    });
    assert.equal(r.statusCode, 201, r.body);
    const report = await verifyAudit(t.db, org.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.firstProblem));
  });

  test('GET /audit-events filters by entity for admins; agents are refused', async () => {
    const id = await createCustomer(a, '查询审计');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityType=customer&entityId=${id}`,
      headers: as(await a.token('admin')),
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(
      r.json().items.map((e: { action: string }) => e.action),
      ['customer.create'],
    );
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events',
      headers: as(await a.token('agent')),
    });
    assert.equal(denied.statusCode, 403);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityId=${id}`,
      headers: as(await b.token('admin')),
    });
    assert.equal(other.json().items.length, 0, 'another org sees none of it');
  });

  test('a row edited behind Kept’s back fails verification, naming the event', async () => {
    const id = await createCustomer(b, '被篡改的客户');
    assert.equal((await verifyAudit(t.db, b.orgId)).ok, true);
    await t.db.query("UPDATE customers SET name = '改过的名字' WHERE org_id = $1 AND id = $2", [b.orgId, id]);
    const r = await verifyAudit(t.db, b.orgId);
    assert.equal(r.ok, false);
    assert.equal(r.firstProblem?.kind, 'state_mismatch');
    assert.equal(r.firstProblem?.entityId, id);
    const ev = (
      await t.db.query<{ id: string }>(
        "SELECT id FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'customer.create'",
        [b.orgId, id],
      )
    ).rows[0];
    assert.equal(r.firstProblem?.eventId, ev.id);
    assert.match(r.firstProblem!.message, new RegExp(ev.id));
    assert.equal((await verifyAudit(t.db, a.orgId)).ok, true, 'the other org is untouched');
    await t.db.query("UPDATE customers SET name = '被篡改的客户' WHERE org_id = $1 AND id = $2", [
      b.orgId,
      id,
    ]);
    assert.equal((await verifyAudit(t.db, b.orgId)).ok, true, 'restoring the row restores the match');
  });

  test('events are chained after commit: writers never wait on the org’s chain head', async () => {
    const id = await createCustomer(a, '封链客户');
    const fresh = (
      await t.db.query<{ chain_seq: number | null; hash: string | null }>(
        'SELECT chain_seq, hash FROM audit_events WHERE org_id = $1 AND entity_id = $2',
        [a.orgId, id],
      )
    ).rows[0];
    assert.equal(fresh.chain_seq, null, 'a new event is written without touching the chain');
    assert.equal(fresh.hash, null);
    // While a sealer holds the org's head, creating customers still commits at once.
    if (t.db.kind === 'postgres') {
      let release: () => void = () => undefined;
      const held = t.db.transaction(async (tx) => {
        await tx.query('SELECT * FROM audit_heads WHERE org_id = $1 FOR UPDATE', [a.orgId]);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      });
      await createCustomer(a, '不等待的客户');
      release();
      await held;
    }
    assert.ok((await sealAll(t.db, a.orgId)) >= 1);
    const sealed = (
      await t.db.query<{ chain_seq: number | null; hash: string | null }>(
        'SELECT chain_seq, hash FROM audit_events WHERE org_id = $1 AND entity_id = $2',
        [a.orgId, id],
      )
    ).rows[0];
    assert.ok(sealed.chain_seq && sealed.hash, 'the sealer gave it a chain position and a hash');
    assert.equal((await verifyAudit(t.db, a.orgId)).ok, true);
  });

  test('an edited or deleted event breaks the chain at that event', async () => {
    const id = await createCustomer(b, '链条客户');
    await sealAll(t.db, b.orgId); // what the worker does within a second
    const ev = (
      await t.db.query<{ id: string; seq: number }>(
        'SELECT id, chain_seq AS seq FROM audit_events WHERE org_id = $1 AND entity_id = $2',
        [b.orgId, id],
      )
    ).rows[0];
    await t.db.query(`UPDATE audit_events SET meta = '{"forged":true}' WHERE org_id = $1 AND id = $2`, [
      b.orgId,
      ev.id,
    ]);
    let r = await verifyAudit(t.db, b.orgId);
    assert.equal(r.firstProblem?.kind, 'tampered_event');
    assert.equal(r.firstProblem?.eventId, ev.id);
    await t.db.query(`UPDATE audit_events SET meta = '{}' WHERE org_id = $1 AND id = $2`, [b.orgId, ev.id]);
    assert.equal((await verifyAudit(t.db, b.orgId)).ok, true);
    const first = (
      await t.db.query<{ id: string; seq: number }>(
        'SELECT id, chain_seq AS seq FROM audit_events WHERE org_id = $1 ORDER BY chain_seq LIMIT 1 OFFSET 2',
        [b.orgId],
      )
    ).rows[0];
    await t.db.query('DELETE FROM audit_events WHERE org_id = $1 AND id = $2', [b.orgId, first.id]);
    r = await verifyAudit(t.db, b.orgId);
    assert.equal(r.ok, false);
    assert.equal(r.firstProblem?.kind, 'broken_link');
    assert.equal(r.firstProblem?.seq, Number(first.seq) + 1);
  });

  test('an event cut off the end of the chain is found through the head', async () => {
    const org = await buildOrg(t.services);
    await createCustomer(org, '末尾客户');
    await sealAll(t.db, org.orgId);
    const last = (
      await t.db.query<{ id: string; seq: number }>(
        'SELECT id, chain_seq AS seq FROM audit_events WHERE org_id = $1 ORDER BY chain_seq DESC LIMIT 1',
        [org.orgId],
      )
    ).rows[0];
    await t.db.query('DELETE FROM audit_events WHERE org_id = $1 AND id = $2', [org.orgId, last.id]);
    const r = await verifyAudit(t.db, org.orgId);
    assert.equal(r.ok, false);
    assert.equal(r.firstProblem?.kind, 'broken_link');
    assert.match(r.firstProblem!.message, new RegExp(`#${last.seq}`));
  });
});

test('kept audit verify exits 1 and names the event after a direct database edit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-audit-'));
  const env = { ...process.env, KEPT_DATA_DIR: dir, DATABASE_URL: '', KEPT_LOG_LEVEL: 'silent' };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, encoding: 'utf8' });
  try {
    assert.equal(
      run(
        'org',
        'create',
        '--name',
        '审计测试',
        '--slug',
        'audit',
        '--admin-email',
        'a@x.test',
        '--admin-password',
        'password-123',
      ).status,
      0,
    );
    const ok = run('audit', 'verify');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /audit: OK/);
    // Edit the admin's name directly in the database, as an intruder with SQL access would.
    const { PGliteDb } = await import('../src/platform/db/pglite.ts');
    const db = await PGliteDb.open({ dataDir: dir });
    const ev = (await db.query<{ id: string }>("SELECT id FROM audit_events WHERE action = 'user.create'"))
      .rows[0];
    await db.query("UPDATE users SET name = 'Mallory'");
    await db.close();
    const bad = run('audit', 'verify');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /FAILED/);
    assert.match(bad.stdout, new RegExp(ev.id));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
