/**
 * Webhook targets are checked when saved, not only when sent: every literal internal address and `localhost`, in
 * any spelling the URL parser accepts, answers 422 naming `url` (create and update), unless the org admin allowed
 * private targets. Nothing is stored or audited for a refused target.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: string;

const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, lang = 'en') =>
  t.app.inject({ method, url, headers: as(admin, { 'accept-language': lang }), payload: payload as object });

const INTERNAL = [
  'http://localhost/hook',
  'http://LOCALHOST./hook',
  'http://api.localhost:8080/hook',
  'http://127.0.0.1/hook',
  'http://127.0.0.1./hook',
  'http://2130706433/hook',
  'http://0x7f000001/hook',
  'http://0177.0.0.1/hook',
  'http://127.1/hook',
  'http://0.0.0.0/hook',
  'http://0/hook',
  'http://10.1.2.3/hook',
  'http://172.16.0.1/hook',
  'http://192.168.1.1/hook',
  'http://100.64.0.1/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://198.18.0.1/hook',
  'http://240.0.0.1/hook',
  'http://[::1]/hook',
  'http://[::]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://[::127.0.0.1]/hook',
  'http://[64:ff9b::127.0.0.1]/hook',
  'http://[64:ff9b::a00:1]/hook',
  'http://[2002:7f00:1::]/hook',
  'http://[2002:c0a8:101::1]/hook',
  'http://[fec0::1]/hook',
  'http://[fd00::1]/hook',
  'http://[fe80::1]/hook',
];

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = await org.token('admin');
});
after(() => t.close());

async function endpointCount() {
  return (
    await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoints WHERE org_id = $1', [
      org.orgId,
    ])
  ).rows[0].n;
}

describe('webhook targets are refused at save', () => {
  it('POST /webhooks: 422 naming `url` for every internal spelling; nothing stored', async () => {
    const n = await endpointCount();
    for (const url of INTERNAL) {
      const r = await api('POST', '/api/v1/webhooks', { url, events: ['customer.created'] });
      assert.equal(r.statusCode, 422, `${url}: ${r.body}`);
      assert.equal(r.json().error.code, 'validation');
      assert.match(r.json().error.fields.url, /internal address/, url);
    }
    assert.equal(await endpointCount(), n);
  });

  it("the message names the host as the URL parser reads it, in the caller's language", async () => {
    const en = await api('POST', '/api/v1/webhooks', { url: 'http://0x7f000001/', events: ['*'] });
    assert.match(en.json().error.fields.url, /^127\.0\.0\.1 is an internal address/);
    const zh = await api('POST', '/api/v1/webhooks', { url: 'http://0x7f000001/', events: ['*'] }, 'zh-CN');
    assert.match(zh.json().error.fields.url, /^127\.0\.0\.1 是内部地址/);
    const es = await api('POST', '/api/v1/webhooks', { url: 'http://[::1]/', events: ['*'] }, 'es');
    assert.match(es.json().error.fields.url, /^\[::1\] es una dirección interna/);
  });

  it('PATCH /webhooks/{id}: moving a public endpoint inward is refused the same way', async () => {
    const created = await api('POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.com/kept',
      events: ['customer.created'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    for (const url of INTERNAL) {
      const r = await api('PATCH', `/api/v1/webhooks/${id}`, { url });
      assert.equal(r.statusCode, 422, `${url}: ${r.body}`);
      assert.ok(r.json().error.fields.url, url);
    }
    const still = await api('GET', `/api/v1/webhooks/${id}`);
    assert.equal(still.json().url, 'https://hooks.example.com/kept');
    // Editing something else of an endpoint leaves its URL alone (no re-check of an unchanged URL needed).
    assert.equal((await api('PATCH', `/api/v1/webhooks/${id}`, { description: 'x' })).statusCode, 200);
  });

  it('public targets, including public IPv4 inside IPv6, are accepted', async () => {
    for (const url of [
      'https://hooks.example.com/a',
      'http://8.8.8.8/hook',
      'http://[2001:4860:4860::8888]/hook',
      'http://[64:ff9b::808:808]/hook',
      'https://localhost.example.com/hook',
    ]) {
      const r = await api('POST', '/api/v1/webhooks', { url, events: ['customer.created'] });
      assert.equal(r.statusCode, 201, `${url}: ${r.body}`);
    }
  });

  it('once the admin allows private targets, internal targets save; turned off again, they are refused', async () => {
    assert.equal(
      (await api('PUT', '/api/v1/webhooks/settings', { allowPrivateTargets: true })).statusCode,
      200,
    );
    const r = await api('POST', '/api/v1/webhooks', { url: 'http://127.1:9/hook', events: ['*'] });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().url, 'http://127.0.0.1:9/hook', 'stored in its canonical spelling');
    await api('PUT', '/api/v1/webhooks/settings', { allowPrivateTargets: false });
    const again = await api('PATCH', `/api/v1/webhooks/${r.json().id}`, { url: 'http://localhost:9/hook' });
    assert.equal(again.statusCode, 422);
  });
});
