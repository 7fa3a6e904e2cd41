import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { todayIn } from '../../src/modules/customers/normalize.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

/**
 * Bad input is refused with 422 naming the field, never a 500 and never silently changed: NUL characters and
 * unpaired surrogates anywhere (bodies, nested JSON, query strings, path parameters), bytes that are not UTF-8,
 * birthdays outside 1900-01-01..today, oversized free JSON (custom fields, process data), odd If-Match headers.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL (where NUL used to fail inside the driver/server).
 */

let t: TestApp;
let a: TestOrg;
let agent: string;
let admin: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  agent = await a.token('agent');
  admin = await a.token('admin');
});
after(() => t.close());

/** A request whose JSON body is given as raw text, so that escapes such as \u0000 reach the server as typed. */
function raw(method: 'POST' | 'PATCH', url: string, json: string, token = agent, lang?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (lang) headers['accept-language'] = lang;
  return t.app.inject({ method, url, headers: as(token, headers), payload: json });
}
const get = (url: string, token = agent, lang?: string) =>
  t.app.inject({ method: 'GET', url, headers: as(token, lang ? { 'accept-language': lang } : {}) });

interface Answer {
  statusCode: number;
  body: string;
  json: () => { error: { code: string; fields?: Record<string, string> } };
}

function assertField(r: Answer, field: string, re?: RegExp) {
  assert.equal(r.statusCode, 422, r.body);
  const err = r.json().error;
  assert.equal(err.code, 'validation');
  assert.ok(err.fields?.[field], `field ${field} named in ${r.body}`);
  if (re) assert.match(err.fields?.[field] ?? '', re);
}

async function newCustomer(body: object = {}) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(agent),
    payload: { kind: 'person', name: `客户${Math.random()}`, allowDuplicate: true, ...body },
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string; version: number };
}

describe('NUL characters and unpaired surrogates', () => {
  test('NUL in a customer field answers 422 naming it, in the caller’s language', async () => {
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"a\\u0000b"}'),
      'name',
      /空字符/,
    );
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"x","address":"\\u0000"}', agent, 'en'),
      'address',
      /NUL character/,
    );
    assertField(
      await raw(
        'POST',
        '/api/v1/customers',
        '{"kind":"person","name":"x","hobbies":"a\\u0000"}',
        agent,
        'es',
      ),
      'hobbies',
      /carácter NUL/,
    );
  });

  test('NUL nested in free JSON, in an array and in a member name', async () => {
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"x","custom":{"k":"v\\u0000"}}'),
      'custom.k',
    );
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"x","tags":["ok","b\\u0000"]}'),
      'tags.1',
    );
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"x","custom":{"a\\u0000":1}}'),
      'custom',
    );
  });

  test('NUL in a task, an update and a contact', async () => {
    assertField(await raw('POST', '/api/v1/tasks', '{"title":"回电\\u0000"}'), 'title');
    const c = await newCustomer();
    assertField(await raw('PATCH', `/api/v1/customers/${c.id}`, '{"familyNotes":"\\u0000"}'), 'familyNotes');
    assertField(
      await raw('POST', `/api/v1/customers/${c.id}/activities`, '{"kind":"note","body":"x\\u0000y"}'),
      'body',
    );
  });

  test('an unpaired surrogate is refused, not stored as U+FFFD; a real pair (emoji) is kept', async () => {
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"a\\ud800b"}'),
      'name',
      /代理项/,
    );
    assertField(await raw('POST', '/api/v1/customers', '{"kind":"person","name":"a\\udc00"}'), 'name');
    assertField(await raw('POST', '/api/v1/tasks', '{"title":"\\ud83d"}', agent, 'en'), 'title', /surrogate/);
    const ok = await raw(
      'POST',
      '/api/v1/customers',
      '{"kind":"person","name":"王\\ud83d\\ude00","allowDuplicate":true}',
    );
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().name, '王😀');
  });

  test('a JSON body that is not UTF-8 answers 422 on body', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"kind":"person","name":"a'),
      Buffer.from([0xed, 0xa0, 0x80, 0xff]),
      Buffer.from('"}'),
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(agent, { 'content-type': 'application/json' }),
      payload: bytes,
    });
    assertField(r, 'body', /UTF-8/);
  });

  test('query strings: NUL, an encoded surrogate and bytes that are not UTF-8 name the parameter', async () => {
    assertField(await get('/api/v1/customers?q=a%00b'), 'q', /空字符/);
    assertField(await get('/api/v1/customers?q=a%ED%A0%80b'), 'q');
    assertField(await get('/api/v1/customers?q=%FF', agent, 'en'), 'q', /UTF-8/);
    assertField(await get('/api/v1/tasks?status=open&q=%00'), 'q');
    assertField(await get('/api/v1/audit-events?entityType=%00', admin), 'entityType');
    // Ordinary text, a '+' and a valid pair still search.
    assert.equal((await get('/api/v1/customers?q=%E7%8E%8B+%F0%9F%98%80')).statusCode, 200);
  });

  test('path parameters with NUL answer 422 (or 404), never 500', async () => {
    assertField(await get('/api/v1/customers/a%00b'), 'id');
    assertField(await get('/api/v1/records/customer%00/00000000-0000-4000-8000-000000000000'), 'type');
    const r = await get('/api/v1/processes/p3%00');
    assert.ok([404, 422].includes(r.statusCode), r.body);
  });

  test('odd If-Match headers answer 412 (never a 500)', async () => {
    const c = await newCustomer();
    for (const h of ['"99999999999999999999999"', 'W/"-1"', '"1e3"', '*', '"\u00e9"', '"1", "2"']) {
      const r = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/customers/${c.id}`,
        headers: as(agent, { 'if-match': h }),
        payload: { hobbies: 'x' },
      });
      assert.ok([412, 422].includes(r.statusCode), `${h}: ${r.statusCode} ${r.body}`);
    }
  });

  test('a CSV import with a NUL inside a cell does not fail with 500', async () => {
    const csv = Buffer.from('姓名,手机\n张\u0000三,13800138001\n李四,13800138002\n', 'utf8');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports?filename=nul.csv',
      headers: as(admin, { 'content-type': 'application/octet-stream' }),
      payload: csv,
    });
    assert.ok(up.statusCode < 500, up.body);
    if (up.statusCode !== 201) return;
    const start = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${up.json().id}/start`,
      headers: as(admin),
      payload: { mapping: up.json().suggestedMapping },
    });
    assert.ok(start.statusCode < 500, start.body);
    let v: { status: string } = { status: '' };
    for (let i = 0; i < 400 && !['done', 'failed'].includes(v.status); i++) {
      await new Promise((res) => setTimeout(res, 25));
      v = (await get(`/api/v1/imports/${up.json().id}`, admin)).json();
    }
    assert.equal(v.status, 'done', JSON.stringify(v));
    const li = await get('/api/v1/customers?q=13800138002', admin);
    assert.equal(li.json().items.length, 1, 'the clean row is imported');
  });
});

describe('birthdays', () => {
  test('outside 1900-01-01..today (org time zone) → 422 on create, update and contacts', async () => {
    const today = todayIn('Asia/Shanghai');
    const tomorrow = new Date(`${today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const tomorrowIso = tomorrow.toISOString().slice(0, 10);
    for (const b of ['1899-12-31', '0001-01-01', tomorrowIso, '2999-01-01']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: as(agent, { 'accept-language': 'en' }),
        payload: { kind: 'person', name: '生日', birthday: b },
      });
      assertField(r, 'birthday', /between 1900-01-01 and today/);
    }
    assertField(
      await raw('POST', '/api/v1/customers', '{"kind":"person","name":"x","birthday":"1975-02-29"}'),
      'birthday',
    );
    for (const b of ['1900-01-01', today, '1988-05-03']) {
      const c = await newCustomer({ birthday: b });
      assert.ok(c.id, b);
    }
    const c = await newCustomer();
    assertField(await raw('PATCH', `/api/v1/customers/${c.id}`, `{"birthday":"${tomorrowIso}"}`), 'birthday');
    assert.equal(
      (await raw('PATCH', `/api/v1/customers/${c.id}`, `{"birthday":"${today}"}`)).statusCode,
      200,
    );

    const company = await newCustomer({ kind: 'company', name: `公司${Math.random()}` });
    assertField(
      await raw(
        'POST',
        '/api/v1/contacts',
        `{"customerId":"${company.id}","name":"联系人","birthday":"1850-01-01"}`,
      ),
      'birthday',
    );
    const ok = await raw(
      'POST',
      '/api/v1/contacts',
      `{"customerId":"${company.id}","name":"联系人","birthday":"1970-01-01"}`,
    );
    assert.equal(ok.statusCode, 201, ok.body);
  });
});

describe('size caps', () => {
  const big = (kib: number) => 'x'.repeat(kib * 1024);

  test('free JSON over 64 KiB → 422 naming the field (custom fields, process data, transition fields)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(agent, { 'accept-language': 'en' }),
      payload: { kind: 'person', name: 'x', custom: { blob: big(70) } },
    });
    assertField(r, 'custom', /at most 64 KiB/);

    const c = await newCustomer();
    const start = (data: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/process-instances',
        headers: as(agent),
        payload: { definitionKey: 'p3_return_visit', recordType: 'customer', recordId: c.id, data },
      });
    assertField(await start({ notes: big(65) }), 'data');
    const ok = await start({ notes: big(40) });
    assert.equal(ok.statusCode, 201, ok.body);
    const go = (transition: string, fields: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/process-instances/${ok.json().id}/transitions`,
        headers: as(agent),
        payload: { transition, fields },
      });
    // Each step is under the cap, what they add up to is not.
    assertField(await go('attempt', { satisfaction: big(40) }), 'fields');
    assert.equal((await go('attempt', { satisfaction: 'ok' })).statusCode, 200);
  });

  test('a JSON body over the body limit answers 413, not 500; a 5 MB process data never reaches the database', async () => {
    const c = await newCustomer();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: as(agent),
      payload: {
        definitionKey: 'p3_return_visit',
        recordType: 'customer',
        recordId: c.id,
        data: { x: big(5 * 1024) },
      },
    });
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().error.code, 'bad_request');
  });
});
