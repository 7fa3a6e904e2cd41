/**
 * The HTTP platform as every client meets it: one error envelope `{"error":{"code","message"}}` for every
 * failure (including malformed JSON and unknown routes), /healthz, the OpenAPI 3.1 document and /api/docs.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';

let t: TestApp;
let org: TestOrg;

function assertEnvelope(body: unknown, code: string) {
  assert.ok(body && typeof body === 'object');
  assert.deepEqual(Object.keys(body), ['error']);
  const err = (body as { error: Record<string, unknown> }).error;
  assert.equal(err.code, code);
  assert.equal(typeof err.message, 'string');
  assert.ok((err.message as string).trim().length > 0, 'a human-readable message');
}

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
});
after(() => t.close());

describe('error envelope', () => {
  it('401, 403, 404, 409, 412 and 422 all use {"error":{"code","message"}} with a JSON content type', async () => {
    const admin = as(await org.token('admin'));
    const cases: Array<[InjectOptions, number, string]> = [
      [{ method: 'GET', url: '/api/v1/customers' }, 401, 'unauthenticated'],
      [{ method: 'GET', url: '/api/v1/users', headers: as(await org.token('agent')) }, 403, 'forbidden'],
      [{ method: 'GET', url: `/api/v1/users/${randomUUID()}`, headers: admin }, 404, 'not_found'],
      [
        {
          method: 'POST',
          url: '/api/v1/users',
          headers: admin,
          payload: { email: org.users.agent.email, name: 'x', password: 'long-enough-1' },
        },
        409,
        'email_taken',
      ],
      [
        {
          method: 'PATCH',
          url: `/api/v1/users/${org.users.agent.id}`,
          headers: { ...admin, 'if-match': '"999"' },
          payload: { name: 'x' },
        },
        412,
        'stale',
      ],
      [{ method: 'POST', url: '/api/v1/teams', headers: admin, payload: { name: '' } }, 422, 'validation'],
    ];
    for (const [req, status, code] of cases) {
      const r = await t.app.inject(req);
      assert.equal(r.statusCode, status, `${req.method} ${req.url}: ${r.body}`);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      const body = r.json();
      if (code === 'validation' || code === 'email_taken') {
        assert.ok(
          body.error.fields && typeof body.error.fields === 'object',
          'field errors under error.fields',
        );
        assertEnvelope({ error: { code: body.error.code, message: body.error.message } }, code);
      } else {
        assertEnvelope(body, code);
      }
    }
  });

  it('the message follows Accept-Language (zh-CN default, en, es)', async () => {
    const msgs = [];
    for (const lang of [undefined, 'en', 'es-ES,es;q=0.9']) {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/v1/customers',
        headers: lang ? { 'accept-language': lang } : {},
      });
      assertEnvelope(r.json(), 'unauthenticated');
      msgs.push(r.json().error.message);
    }
    assert.match(msgs[0], /[\u4e00-\u9fff]/);
    assert.equal(new Set(msgs).size, 3);
  });

  it('malformed JSON → 400 bad_request, not 500; without auth the body is not even read (401)', async () => {
    for (const [headers, status, code] of [
      [{}, 401, 'unauthenticated'],
      [as(await org.token('agent')), 400, 'bad_request'],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{"name": "半个',
      });
      assert.equal(r.statusCode, status, r.body);
      assertEnvelope(r.json(), code);
    }
  });

  it('the 400 message for malformed JSON follows Accept-Language like every other error', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /[\u4e00-\u9fff]/, 'zh-CN by default');
  });

  it('an unsupported content type is a 4xx in the envelope, not a 500', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...as(await org.token('agent')), 'content-type': 'application/x-unknown' },
      payload: 'name=x',
    });
    assert.ok(r.statusCode >= 400 && r.statusCode < 500, r.body);
    assert.equal(typeof r.json().error.code, 'string');
  });

  it('unknown routes under /api/ → 404 JSON, with or without auth', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/no-such-thing'],
      ['POST', '/api/v1/customers/not/a/route'],
      ['DELETE', '/api/v1/users'],
      ['GET', '/api/v2/customers'],
    ] as const) {
      for (const headers of [{}, as(await org.token('admin'))]) {
        const r = await t.app.inject({ method, url, headers });
        assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
        assert.match(String(r.headers['content-type']), /^application\/json/);
        assertEnvelope(r.json(), 'not_found');
      }
    }
  });

  it('authentication comes before body validation: an anonymous request with an invalid body is 401', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'nope', password: 'x', name: '' },
    });
    assert.equal(r.statusCode, 401, r.body);
  });
});

describe('public endpoints', () => {
  it('GET /healthz → {"status":"ok"} without auth', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { status: 'ok' });
  });

  it('GET /api/v1/openapi.json is OpenAPI 3.1 with the customers and login paths and a Customer schema', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.match(doc.openapi, /^3\.1\./);
    assert.ok(doc.paths['/api/v1/customers'], 'lists /api/v1/customers');
    assert.ok(doc.paths['/api/v1/customers'].get && doc.paths['/api/v1/customers'].post);
    assert.ok(doc.paths['/api/v1/auth/login']?.post, 'lists POST /api/v1/auth/login');
    assert.ok(doc.components?.schemas?.Customer, 'components.schemas.Customer');
    assert.ok(doc.components.schemas.Customer.properties?.name);
    assert.ok(doc.components.securitySchemes?.bearer);
    assert.ok(!doc.paths['/healthz'], 'internal endpoints are hidden');
  });

  it('/api/docs serves the HTML API browser without auth', async () => {
    let r = await t.app.inject({ method: 'GET', url: '/api/docs' });
    if (r.statusCode >= 300 && r.statusCode < 400 && r.headers.location) {
      r = await t.app.inject({
        method: 'GET',
        url: new URL(String(r.headers.location), 'http://x/api/docs').pathname,
      });
    }
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(r.body, /<html/i);
  });
});
