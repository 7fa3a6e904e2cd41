import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startReceiver } from '../src/modules/notifications/testkit.ts';
import { Worker } from '../src/platform/jobs/worker.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

/**
 * As an integrator meets it, with the background worker running as `kept serve` runs it: an admin subscribes a
 * loopback receiver (private targets allowed) to customer.created and customer.updated; creating and editing a
 * customer through the API delivers both, signed, within seconds; while the receiver is down the events wait,
 * and once it is back it gets every one of them.
 */
let t: TestApp;
let a: TestOrg;
let worker: Worker;
let rx: Awaited<ReturnType<typeof startReceiver>>;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  rx = await startReceiver();
  worker = new Worker(t.db, { pollMs: 100 });
  worker.start();
});
after(async () => {
  await worker.stop();
  await t.close();
  await rx.close();
});

const api = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: as(await a.token('admin')), payload: payload as object });

async function until<T>(what: string, fn: () => T | undefined | false, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('signed customer.created and customer.updated arrive within seconds of the API calls', async () => {
  assert.equal(
    (await api('PUT', '/api/v1/webhooks/settings', { allowPrivateTargets: true })).statusCode,
    200,
  );
  const hook = (
    await api('POST', '/api/v1/webhooks', { url: rx.url, events: ['customer.created', 'customer.updated'] })
  ).json();
  const started = Date.now();
  const c = (
    await api('POST', '/api/v1/customers', { kind: 'person', name: '实时客户', mobile: '13800138222' })
  ).json();
  assert.equal((await api('PATCH', `/api/v1/customers/${c.id}`, { memberLevel: '金卡' })).statusCode, 200);
  const got = await until('two deliveries', () => rx.requests.length >= 2 && rx.requests);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 8, `delivered in ${seconds} s`);
  const bodies = got.map(
    (r) =>
      JSON.parse(r.body) as { type: string; data: { customer: { id: string; memberLevel: string | null } } },
  );
  assert.deepEqual(
    bodies.map((b) => b.type),
    ['customer.created', 'customer.updated'],
    'in order',
  );
  assert.ok(bodies.every((b) => b.data.customer.id === c.id));
  assert.equal(bodies[1].data.customer.memberLevel, '金卡');
  for (const r of got) {
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-kept-signature']))!;
    assert.equal(
      m[2],
      createHmac('sha256', hook.secret).update(`${m[1]}.${r.body}`).digest('hex'),
      'signed with the endpoint secret',
    );
  }
});

test('a receiver that was down gets every event once it is back', async () => {
  const port = rx.port;
  await rx.close();
  const names = ['离线一', '离线二', '离线三'];
  const ids: string[] = [];
  for (const name of names)
    ids.push((await api('POST', '/api/v1/customers', { kind: 'person', name })).json().id);
  // The first attempts fail (connection refused) and wait for their retry.
  const waiting = async () =>
    (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM webhook_deliveries WHERE org_id = $1 AND status = 'pending' AND attempts >= 1",
        [a.orgId],
      )
    ).rows[0].n;
  const deadline = Date.now() + 8000;
  while ((await waiting()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await waiting(), 3, 'each delivery tried once and waiting');
  rx = await startReceiver({ port });
  // The retry is due 30 s after the failure; the worker is run at that instant, as its clock would.
  await worker.pass(new Date(Date.now() + 31_000));
  await worker.pass(new Date(Date.now() + 31_000));
  const got = await until('the backlog', () => rx.requests.length >= 3 && rx.requests);
  const created = got
    .map((r) => JSON.parse(r.body) as { type: string; data: { customer: { id: string } } })
    .filter((b) => b.type === 'customer.created');
  assert.deepEqual(created.map((b) => b.data.customer.id).sort(), [...ids].sort(), 'every event, each once');
});
