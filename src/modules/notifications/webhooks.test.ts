/**
 * Outbound webhooks: the admin API (401 → 403 → 404 → 422 → 2xx, secret shown once), a signed delivery to a
 * loopback receiver (allowed by the org setting) with the HMAC verified, retries with backoff after a 500,
 * giving up after the maximum attempts, and SSRF refusals (private, link-local, loopback literals and a host
 * name resolving to loopback) when private targets are not allowed. No traffic leaves 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, settle, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { sweepDueTimers } from '../../platform/jobs/timers.ts';
import { startReceiver } from './testkit.ts';

let t: TestApp;
let org: TestOrg;
let other: TestOrg;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let admin: string;
before(async () => {
  rx = await startReceiver();
  t = await makeTestApp({ KEPT_WEBHOOK_MAX_ATTEMPTS: '3' });
  org = await buildOrg(t.services);
  other = await buildOrg(t.services);
  admin = await org.token('admin');
});
after(async () => {
  await t.close();
  await rx.close();
});

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  token?: string,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url,
    headers: token ? as(token, { 'accept-language': 'en' }) : {},
    payload: payload as object,
  });

/** Creates a customer through the API (a customer.created event), lets the dispatcher run; its delivery ids. */
async function createCustomer(o: TestOrg, name: string, extra: Record<string, unknown> = {}) {
  const before = new Set((await allDeliveries(o)).map((d) => d.id));
  const r = await api('POST', '/api/v1/customers', await o.token('admin'), {
    kind: 'person',
    name,
    ...extra,
  });
  assert.equal(r.statusCode, 201, r.body);
  await settle(t.db);
  return {
    customer: r.json() as { id: string; version: number },
    deliveries: (await allDeliveries(o)).filter((d) => !before.has(d.id)).map((d) => d.id),
  };
}
async function allDeliveries(o: TestOrg) {
  return (await t.db.query<{ id: string }>('SELECT id FROM webhook_deliveries WHERE org_id = $1', [o.orgId]))
    .rows;
}
async function deliveries(endpointId: string) {
  return (await api('GET', `/api/v1/webhooks/${endpointId}/deliveries`, admin)).json().items as Array<
    Record<string, unknown>
  >;
}

describe('webhooks admin API', () => {
  it('401 → 403 → 404 → 422 → 2xx', async () => {
    assert.equal((await api('GET', '/api/v1/webhooks')).statusCode, 401);
    const agent = await org.token('agent');
    assert.equal((await api('GET', '/api/v1/webhooks', agent)).statusCode, 403);
    assert.equal(
      (await api('POST', '/api/v1/webhooks', agent, { url: rx.url, events: ['customer.created'] }))
        .statusCode,
      403,
    );
    assert.equal(
      (await api('PUT', '/api/v1/webhooks/settings', agent, { allowPrivateTargets: true })).statusCode,
      403,
    );

    const bad = await api('POST', '/api/v1/webhooks', admin, {
      url: 'ftp://example.com/x',
      events: ['customer.created'],
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.json().error.fields.url, /http:\/\/ or https:\/\//);
    assert.equal(
      (await api('POST', '/api/v1/webhooks', admin, { url: 'not a url', events: ['customer.created'] }))
        .statusCode,
      422,
    );
    const badEvent = await api('POST', '/api/v1/webhooks', admin, {
      url: rx.url,
      events: ['Customer Created'],
    });
    assert.equal(badEvent.statusCode, 422);
    assert.ok(badEvent.json().error.fields.events);
    assert.equal((await api('POST', '/api/v1/webhooks', admin, { url: rx.url, events: [] })).statusCode, 422);
    assert.equal((await api('POST', '/api/v1/webhooks', admin, {})).statusCode, 422);

    const created = await api('POST', '/api/v1/webhooks', admin, {
      url: 'https://crm.example.com/kept-hook',
      events: ['customer.created'],
      description: 'CRM sync',
    });
    assert.equal(created.statusCode, 201);
    const e = created.json();
    assert.match(e.secret, /^whsec_[0-9a-f]{48}$/);
    const listed = (await api('GET', '/api/v1/webhooks', admin)).json().items;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].secret, undefined, 'the secret is shown only at creation');

    const otherAdmin = await other.token('admin');
    assert.equal(
      (await api('PATCH', `/api/v1/webhooks/${e.id}`, otherAdmin, { active: false })).statusCode,
      404,
    );
    assert.equal((await api('GET', `/api/v1/webhooks/${e.id}/deliveries`, otherAdmin)).statusCode, 404);
    assert.equal(
      (await api('DELETE', '/api/v1/webhooks/00000000-0000-0000-0000-000000000000', admin)).statusCode,
      404,
    );
    assert.equal((await api('POST', '/api/v1/webhooks/xyz/test', admin)).statusCode, 404);
    assert.equal(
      (await api('PATCH', `/api/v1/webhooks/${e.id}`, admin, { url: 'javascript:alert(1)' })).statusCode,
      422,
    );

    const patched = await api('PATCH', `/api/v1/webhooks/${e.id}`, admin, {
      events: ['customer.updated', 'customer.created'],
      rotateSecret: true,
    });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(patched.json().events, ['customer.created', 'customer.updated']);
    assert.notEqual(patched.json().secret, e.secret);
    assert.equal((await api('DELETE', `/api/v1/webhooks/${e.id}`, admin)).statusCode, 204);
    assert.equal((await api('GET', `/api/v1/webhooks/${e.id}`, admin)).statusCode, 404);

    const audit = await t.db.query<{ action: string; changes: Record<string, unknown> }>(
      `SELECT action, changes FROM audit_events WHERE org_id = $1 AND entity_type = 'webhook_endpoint' ORDER BY seq`,
      [org.orgId],
    );
    assert.deepEqual(
      audit.rows.map((a) => a.action),
      ['webhook.create', 'webhook.update', 'webhook.delete'],
    );
    assert.ok(
      audit.rows.every((a) => !JSON.stringify(a.changes).includes('whsec_')),
      'the secret never reaches the audit trail',
    );
  });
});

describe('webhook deliveries', () => {
  let endpoint: { id: string; secret: string };

  it('refuses loopback, private and link-local targets unless allowed (no connection is made)', async () => {
    const targets = [
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:9/hook',
      `http://localhost:${rx.port}/hook`,
    ];
    // Saved while private targets were allowed, then the admin turned that off: the send-time check refuses them.
    await api('PUT', '/api/v1/webhooks/settings', admin, { allowPrivateTargets: true });
    const ids: string[] = [];
    for (const url of targets)
      ids.push(
        (await api('POST', '/api/v1/webhooks', admin, { url, events: ['customer.created'] })).json().id,
      );
    await api('PUT', '/api/v1/webhooks/settings', admin, { allowPrivateTargets: false });
    const { deliveries: queued } = await createCustomer(org, '拒绝投递');
    assert.equal(queued.length, 4);
    await sweepDueTimers(t.db, { now: new Date(Date.now() + 1000) });
    const reasons = [];
    for (const id of ids) {
      const [d] = await deliveries(id);
      assert.equal(d.status, 'refused');
      assert.equal(d.attempts, 1);
      reasons.push(String(d.lastError));
    }
    assert.match(reasons[0], /10\.0\.0\.1 is a private address/);
    assert.match(reasons[1], /169\.254\.169\.254 is a link-local address/);
    assert.match(reasons[2], /::1 is a loopback address/);
    assert.match(reasons[3], /localhost is a loopback address/);
    assert.equal(rx.requests.length, 0);
    for (const id of ids) await api('DELETE', `/api/v1/webhooks/${id}`, admin);
  });

  it('delivers a signed POST to a loopback receiver once the admin allows private targets', async () => {
    const s = await api('PUT', '/api/v1/webhooks/settings', admin, { allowPrivateTargets: true });
    assert.deepEqual(s.json(), { allowPrivateTargets: true });
    assert.deepEqual((await api('GET', '/api/v1/webhooks/settings', admin)).json(), {
      allowPrivateTargets: true,
    });
    endpoint = (
      await api('POST', '/api/v1/webhooks', admin, { url: rx.url, events: ['customer.created'] })
    ).json();
    await api('POST', '/api/v1/webhooks', admin, {
      url: rx.url,
      events: ['customer.created'],
      active: false,
    });

    const { customer } = await createCustomer(org, '张三', { mobile: '13800138111' });
    const patch = await api('PATCH', `/api/v1/customers/${customer.id}`, admin, { memberLevel: '金卡' });
    assert.equal(patch.statusCode, 200);
    await settle(t.db);
    assert.equal((await allDeliveries(org)).length, 1, 'customer.updated: not subscribed');
    const elsewhere = await createCustomer(other, '别家客户');
    assert.deepEqual(elsewhere.deliveries, [], 'another org has no endpoints');
    const [deliveryId] = (await allDeliveries(org)).map((d) => d.id);
    await sweepDueTimers(t.db, { now: new Date(Date.now() + 1000) });
    assert.equal(rx.requests.length, 1);
    const req = rx.requests[0];
    assert.equal(req.headers['x-kept-event'], 'customer.created');
    assert.equal(req.headers['x-kept-delivery'], deliveryId);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-kept-signature']));
    assert.ok(m, 'signature header format');
    assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 60);
    assert.equal(m[2], createHmac('sha256', endpoint.secret).update(`${m[1]}.${req.body}`).digest('hex'));
    const body = JSON.parse(req.body);
    const event = (
      await t.db.query<{ id: string }>(
        "SELECT id FROM domain_events WHERE org_id = $1 AND type = 'customer.created' AND record_id = $2",
        [org.orgId, customer.id],
      )
    ).rows[0];
    assert.deepEqual(Object.keys(body).sort(), ['data', 'id', 'occurredAt', 'type']);
    assert.equal(body.id, event.id, 'the body id is the event id (receivers deduplicate on it)');
    assert.equal(body.type, 'customer.created');
    assert.ok(Math.abs(new Date(body.occurredAt).getTime() - Date.now()) < 60_000);
    assert.equal(body.data.customer.id, customer.id);
    assert.equal(body.data.customer.name, '张三');
    assert.equal(body.data.customer.mobile, '+8613800138111');
    assert.equal(body.data.customer.searchTokens, undefined, 'internal columns stay inside');
    const [d] = await deliveries(endpoint.id);
    assert.equal(d.status, 'succeeded');
    assert.equal(d.attempts, 1);
    assert.equal(d.lastStatusCode, 200);
  });

  it('retries with backoff after a 500, then succeeds', async () => {
    rx.requests.length = 0;
    rx.statuses.push(500);
    const {
      deliveries: [id],
    } = await createCustomer(org, '重试客户');
    const now = Date.now() + 1000;
    await sweepDueTimers(t.db, { now: new Date(now) });
    let d = (await deliveries(endpoint.id)).find((x) => x.id === id)!;
    assert.equal(d.status, 'pending');
    assert.equal(d.attempts, 1);
    assert.equal(d.lastStatusCode, 500);
    assert.equal(d.lastError, 'HTTP 500');
    const next = new Date(String(d.nextAttemptAt)).getTime();
    assert.equal(next - now, 30_000, 'first retry after 30 s');
    await sweepDueTimers(t.db, { now: new Date(now + 10_000) });
    assert.equal(rx.requests.length, 1, 'not before the backoff');
    await sweepDueTimers(t.db, { now: new Date(now + 31_000) });
    assert.equal(rx.requests.length, 2);
    assert.equal(rx.requests[0].headers['x-kept-delivery'], rx.requests[1].headers['x-kept-delivery']);
    assert.equal(rx.requests[0].body, rx.requests[1].body, 'the same body on every attempt');
    d = (await deliveries(endpoint.id)).find((x) => x.id === id)!;
    assert.equal(d.status, 'succeeded');
    assert.equal(d.attempts, 2);
    assert.equal(d.lastStatusCode, 200);
  });

  it('a receiver that was down gets every event once it is back, each once', async () => {
    const hook = (
      await api('POST', '/api/v1/webhooks', admin, {
        url: rx.url,
        events: ['customer.created', 'customer.updated'],
      })
    ).json();
    const port = rx.port;
    await rx.close();
    const made = [];
    for (const name of ['宕机一', '宕机二', '宕机三']) made.push((await createCustomer(org, name)).customer);
    assert.equal(
      (await api('PATCH', `/api/v1/customers/${made[0].id}`, admin, { memberLevel: '银卡' })).statusCode,
      200,
    );
    await settle(t.db);
    const ids = (await deliveries(hook.id)).map((d) => d.id);
    assert.equal(ids.length, 4, 'three created and one updated');
    let now = Date.now() + 1000;
    await sweepDueTimers(t.db, { now: new Date(now) });
    for (const d of await deliveries(hook.id)) {
      assert.equal(d.status, 'pending');
      assert.match(String(d.lastError), /ECONNREFUSED|connect/);
    }
    rx = await startReceiver({ port });
    // The first retry after the backoff succeeds; the endpoint's other waiting deliveries follow at once.
    now += 31_000;
    for (let i = 0; i < 3; i++) await sweepDueTimers(t.db, { now: new Date(now) });
    const got = rx.requests.filter((r) => ids.includes(String(r.headers['x-kept-delivery'])));
    assert.equal(got.length, 4, 'every event arrived');
    const bodies = got.map(
      (r) => JSON.parse(r.body) as { id: string; type: string; data: { customer: { id: string } } },
    );
    assert.equal(new Set(bodies.map((b) => b.id)).size, 4, 'each event once');
    assert.deepEqual(bodies.map((b) => b.type).sort(), [
      'customer.created',
      'customer.created',
      'customer.created',
      'customer.updated',
    ]);
    for (const d of await deliveries(hook.id)) assert.equal(d.status, 'succeeded');
    await api('DELETE', `/api/v1/webhooks/${hook.id}`, admin);
  });

  it('gives up after the maximum attempts (status failed)', async () => {
    rx.requests.length = 0;
    rx.statuses.push(500, 502, 503, 500, 500);
    const test = await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, admin);
    assert.equal(test.statusCode, 202);
    const id = test.json().id;
    let now = Date.now() + 1000;
    for (let i = 0; i < 6; i++) {
      await sweepDueTimers(t.db, { now: new Date(now) });
      now += 2 * 3600_000;
    }
    assert.equal(rx.requests.length, 3);
    assert.equal(rx.requests[0].headers['x-kept-event'], 'webhook.test');
    const d = (await deliveries(endpoint.id)).find((x) => x.id === id)!;
    assert.equal(d.status, 'failed');
    assert.equal(d.attempts, 3);
    assert.equal(d.lastStatusCode, 503);
    assert.equal(d.nextAttemptAt, null);
    rx.statuses.length = 0;
  });
});
