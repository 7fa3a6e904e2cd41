/**
 * The calendar API end to end on a real database (PGlite, or PostgreSQL with DATABASE_URL): the examples of
 * the issue, reading open to every member, settings and overrides for calendar.manage only (401 → 403 → 404 →
 * 422 → 412 → 2xx), each change audited and the cached calendar dropped at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { recordAudit, stateHash, verifyAudit } from '../../platform/audit/audit.ts';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
});
after(() => t.close());

const get = async (token: string, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: as(token, headers) });
const send = async (
  method: 'POST' | 'PUT' | 'DELETE',
  token: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: as(token, headers),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const LUNCH = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const settings = (over: Record<string, unknown> = {}) => ({
  timeZone: 'Asia/Shanghai',
  workingHours: { mon: LUNCH, tue: LUNCH, wed: LUNCH, thu: LUNCH, fri: LUNCH, sat: [], sun: [] },
  quietHours: [
    ['12:00', '14:00'],
    ['21:00', '09:00'],
  ],
  ...over,
});

describe('calendar questions', () => {
  test('the examples: 10 working days after 2026-09-28; 4 working hours after 17:00', async () => {
    const agent = await a.token('agent');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/calendar/add?from=2026-09-28&workingDays=10' }))
        .statusCode,
      401,
    );
    const days = await get(agent, '/api/v1/calendar/add?from=2026-09-28&workingDays=10');
    assert.equal(days.statusCode, 200);
    assert.deepEqual(days.json(), { date: '2026-10-16' });
    const hours = await get(
      agent,
      `/api/v1/calendar/add?from=${encodeURIComponent('2026-09-28T17:00:00+08:00')}&workingHours=4`,
    );
    assert.equal(hours.statusCode, 200);
    assert.equal(hours.json().at, new Date('2026-09-29T12:00:00+08:00').toISOString());
    assert.equal(hours.json().local, '2026-09-29T12:00:00+08:00');
    const fromDate = await get(agent, '/api/v1/calendar/add?from=2026-09-28&workingHours=4');
    assert.equal(
      fromDate.json().at,
      new Date('2026-09-28T14:30:00+08:00').toISOString(),
      'a date starts at its 00:00 in the org zone',
    );
    const national = await get(
      agent,
      `/api/v1/calendar/add?from=${encodeURIComponent('2026-09-30T17:00:00+08:00')}&workingHours=2`,
    );
    assert.equal(national.json().at, new Date('2026-10-08T10:00:00+08:00').toISOString());
  });

  test('days, between, and 422s with field messages for bad input', async () => {
    const agent = await a.token('agent');
    const r = await get(agent, '/api/v1/calendar/days?from=2026-09-25&to=2026-10-12');
    assert.equal(r.statusCode, 200);
    const items = r.json().items as Array<{
      date: string;
      type: string;
      name?: string;
      working: boolean;
      hours: string[][];
    }>;
    assert.equal(items.length, 18);
    assert.deepEqual(
      items.find((d) => d.date === '2026-10-01'),
      { date: '2026-10-01', type: 'holiday', name: '国庆节', working: false, hours: [] },
    );
    assert.deepEqual(
      items.find((d) => d.date === '2026-10-10'),
      { date: '2026-10-10', type: 'adjusted_workday', name: '国庆节', working: true, hours: LUNCH },
    );
    assert.deepEqual(
      items.find((d) => d.date === '2026-10-11'),
      { date: '2026-10-11', type: 'weekend', working: false, hours: [] },
    );
    assert.equal(items.find((d) => d.date === '2026-09-28')?.type, 'workday');

    const between = await get(
      agent,
      `/api/v1/calendar/between?from=${encodeURIComponent('2026-09-30T17:00:00+08:00')}&to=${encodeURIComponent('2026-10-08T10:00:00+08:00')}`,
    );
    assert.deepEqual(between.json(), { workingMs: 7_200_000, workingHours: 2 });

    const bad = async (url: string, field: string, lang = 'zh-CN') => {
      const res = await get(agent, url, { 'accept-language': lang });
      assert.equal(res.statusCode, 422, url);
      assert.equal(
        typeof res.json().error.fields?.[field],
        'string',
        `${url}: ${JSON.stringify(res.json())}`,
      );
      return res.json().error.fields[field] as string;
    };
    assert.match(await bad('/api/v1/calendar/days?from=2026-02-30&to=2026-03-02', 'from'), /YYYY-MM-DD/);
    assert.match(
      await bad('/api/v1/calendar/days?from=2026-10-12&to=2026-09-25', 'to', 'en'),
      /before the start/,
    );
    assert.match(await bad('/api/v1/calendar/days?from=2026-01-01&to=2027-12-31', 'to', 'en'), /400/);
    await bad('/api/v1/calendar/days?from=yesterday&to=2026-01-01', 'from');
    assert.match(
      await bad('/api/v1/calendar/add?from=2026-09-28', 'workingDays', 'es'),
      /workingDays o workingHours/,
    );
    await bad('/api/v1/calendar/add?from=2026-09-28&workingDays=1&workingHours=1', 'workingDays');
    await bad('/api/v1/calendar/add?from=2026-09-28&workingDays=1.5', 'workingDays');
    await bad('/api/v1/calendar/add?from=2026-09-28&workingHours=-1', 'workingHours');
    await bad('/api/v1/calendar/add?from=2026-13-45T10:00&workingHours=1', 'from');
    await bad(
      `/api/v1/calendar/add?from=${encodeURIComponent('2026-09-28T10:00:00+08:00')}&workingDays=1`,
      'from',
    );
    await bad('/api/v1/calendar/between?from=2026-01-01&to=soon', 'to');
    await bad('/api/v1/calendar/between?from=2000-01-01&to=2026-01-01', 'to');
  });

  test('next contact slot: org quiet hours, the customer’s own, the retry rule; invisible customers are 404', async () => {
    const admin = await a.token('admin');
    const agent = await a.token('agent');
    const slot = async (token: string, q: string) => get(token, `/api/v1/calendar/next-contact-slot?${q}`);
    const enc = encodeURIComponent;
    const r1 = await slot(agent, `after=${enc('2026-09-29T12:00:00+08:00')}`);
    assert.equal(r1.statusCode, 200);
    assert.equal(r1.json().local, '2026-09-29T14:00:00+08:00');
    assert.equal(r1.json().quietHoursOf, 'org');
    const retry = await slot(
      agent,
      `after=${enc('2026-09-30T15:00:00+08:00')}&differentSlotFrom=${enc('2026-09-30T15:00:00+08:00')}&laterWorkingDay=true`,
    );
    assert.equal(retry.json().local, '2026-10-08T09:00:00+08:00');

    const c = await send('POST', admin, '/api/v1/customers', {
      kind: 'person',
      name: '王五',
      mobile: '13700137000',
    });
    assert.equal(c.statusCode, 201);
    const id = c.json().id as string;
    // Set the customer's quiet hours the way the customers module will: in a transaction, audited.
    const ctx = await a.ctx('admin');
    await t.db.transaction(async (tx) => {
      const before = (await tx.query('SELECT * FROM customers WHERE org_id = $1 AND id = $2', [a.orgId, id]))
        .rows[0];
      const after = (
        await tx.query(
          'UPDATE customers SET quiet_hours = $3, version = version + 1 WHERE org_id = $1 AND id = $2 RETURNING *',
          [
            a.orgId,
            id,
            JSON.stringify([
              ['09:00', '10:30'],
              ['17:00', '09:00'],
            ]),
          ],
        )
      ).rows[0];
      await recordAudit(tx, ctx, {
        action: 'customer.update',
        entityType: 'customer',
        entityId: id,
        before,
        after,
      });
    });
    const own = await slot(admin, `after=${enc('2026-09-29T09:00:00+08:00')}&customerId=${id}`);
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().local, '2026-09-29T10:30:00+08:00');
    assert.equal(own.json().quietHoursOf, 'customer');
    assert.equal(
      (await slot(agent, `after=${enc('2026-09-29T09:00:00+08:00')}&customerId=${id}`)).statusCode,
      404,
      'not the agent’s customer',
    );
    assert.equal(
      (await slot(await b.token('admin'), `customerId=${id}`)).statusCode,
      404,
      'another org’s customer',
    );
    assert.equal((await slot(admin, 'customerId=nope')).statusCode, 404);
    assert.equal((await slot(admin, 'after=later')).statusCode, 422);
  });
});

describe('calendar settings and overrides', () => {
  test('settings: read by all, changed by calendar.manage; 401 → 403 → 422 → 200 → 412', async () => {
    const agent = await a.token('agent');
    const admin = await a.token('admin');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/calendar/settings' })).statusCode, 401);
    const read = await get(agent, '/api/v1/calendar/settings');
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers.etag, '"0"');
    assert.equal(read.json().timeZone, 'Asia/Shanghai');
    assert.deepEqual(read.json().workingHours.mon, LUNCH);
    assert.deepEqual(read.json().quietHours, [
      ['12:00', '14:00'],
      ['21:00', '09:00'],
    ]);
    assert.ok(read.json().coverage >= 2026);

    assert.equal(
      (await t.app.inject({ method: 'PUT', url: '/api/v1/calendar/settings', payload: settings() }))
        .statusCode,
      401,
    );
    assert.equal((await send('PUT', agent, '/api/v1/calendar/settings', settings())).statusCode, 403);
    const invalid = await send(
      'PUT',
      admin,
      '/api/v1/calendar/settings',
      settings({
        timeZone: 'Mars/Olympus',
        workingHours: {
          mon: [['12:00', '09:00']],
          tue: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
          wed: [['9:00', '12:00']],
        },
        quietHours: [['12:00', '12:00']],
      }),
      { 'accept-language': 'en' },
    );
    assert.equal(invalid.statusCode, 422);
    const fields = invalid.json().error.fields as Record<string, string>;
    assert.match(fields.timeZone, /IANA/);
    assert.match(fields['workingHours.mon.0'], /start must be before/);
    assert.match(fields['workingHours.tue'], /overlap/);
    assert.match(fields['workingHours.wed.0.0'], /HH:MM/);
    assert.match(fields['quietHours.0'], /start must be before|Invalid interval/);

    const saturdayShop = settings({
      workingHours: { ...settings().workingHours, sat: [['10:00', '16:00']] },
      scopedHours: { 'shop-1': { sun: [['10:00', '22:00']] } },
    });
    const ok = await send('PUT', admin, '/api/v1/calendar/settings', saturdayShop, { 'if-match': '"0"' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.headers.etag, '"1"');
    assert.deepEqual(ok.json().workingHours.sat, [['10:00', '16:00']]);
    // the cache is dropped at once: a Saturday now counts
    assert.deepEqual((await get(agent, '/api/v1/calendar/add?from=2026-09-11&workingDays=1')).json(), {
      date: '2026-09-12',
    });
    assert.deepEqual(
      (await get(agent, '/api/v1/calendar/add?from=2026-09-12&workingDays=1&scope=shop-1')).json(),
      { date: '2026-09-13' },
      'the shop works Sundays only',
    );
    assert.equal(
      (await send('PUT', admin, '/api/v1/calendar/settings', settings(), { 'if-match': '"0"' })).statusCode,
      412,
    );
    const back = await send('PUT', admin, '/api/v1/calendar/settings', settings(), { 'if-match': '"1"' });
    assert.equal(back.statusCode, 200);
    assert.equal(back.headers.etag, '"2"');
    assert.equal(
      (await get(await b.token('agent'), '/api/v1/calendar/add?from=2026-09-11&workingDays=1')).json().date,
      '2026-09-14',
      'other orgs are untouched',
    );
  });

  test('overrides: 403 for agents, 422, 201, 409 on the same date, 404 across orgs, 204; the calendar follows', async () => {
    const agent = await a.token('agent');
    const admin = await a.token('admin');
    const holiday = { date: '2026-09-14', kind: 'holiday', name: '公司年会' };
    assert.equal((await send('POST', agent, '/api/v1/calendar/overrides', holiday)).statusCode, 403);
    const bad = await send('POST', admin, '/api/v1/calendar/overrides', {
      date: '2026-09-31',
      kind: 'hours',
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().error.fields.date);
    const noHours = await send('POST', admin, '/api/v1/calendar/overrides', {
      date: '2026-09-15',
      kind: 'hours',
    });
    assert.equal(noHours.statusCode, 422);
    assert.ok(noHours.json().error.fields.hours);
    assert.equal(
      (
        await send('POST', admin, '/api/v1/calendar/overrides', {
          date: '2026-09-15',
          kind: 'holiday',
          hours: [['09:00', '10:00']],
        })
      ).statusCode,
      422,
    );

    const created = await send('POST', admin, '/api/v1/calendar/overrides', holiday);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    assert.equal((await send('POST', admin, '/api/v1/calendar/overrides', holiday)).statusCode, 409);
    const shopDay = await send('POST', admin, '/api/v1/calendar/overrides', {
      date: '2026-09-14',
      kind: 'hours',
      hours: [['10:00', '14:00']],
      scope: 'shop-1',
    });
    assert.equal(shopDay.statusCode, 201, 'the same date for one shop is another override');
    const workSat = await send('POST', admin, '/api/v1/calendar/overrides', {
      date: '2026-09-19',
      kind: 'workday',
    });
    assert.equal(workSat.statusCode, 201);

    assert.deepEqual((await get(agent, '/api/v1/calendar/add?from=2026-09-11&workingDays=1')).json(), {
      date: '2026-09-15',
    });
    const days = (await get(agent, '/api/v1/calendar/days?from=2026-09-14&to=2026-09-19')).json().items;
    assert.deepEqual(days[0], {
      date: '2026-09-14',
      type: 'holiday',
      name: '公司年会',
      working: false,
      hours: [],
    });
    assert.deepEqual(days[5], { date: '2026-09-19', type: 'adjusted_workday', working: true, hours: LUNCH });
    const shop = (await get(agent, '/api/v1/calendar/days?from=2026-09-14&to=2026-09-14&scope=shop-1')).json()
      .items[0];
    assert.deepEqual(shop.hours, [['10:00', '14:00']]);

    const list = await get(agent, '/api/v1/calendar/overrides?from=2026-09-01&to=2026-09-30');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((o: { date: string; scope: string | null }) => [o.date, o.scope]),
      [
        ['2026-09-14', null],
        ['2026-09-14', 'shop-1'],
        ['2026-09-19', null],
      ],
    );

    assert.equal((await send('DELETE', agent, `/api/v1/calendar/overrides/${id}`)).statusCode, 403);
    assert.equal(
      (await send('DELETE', await b.token('admin'), `/api/v1/calendar/overrides/${id}`)).statusCode,
      404,
      'another org’s override',
    );
    assert.equal((await send('DELETE', admin, '/api/v1/calendar/overrides/not-a-uuid')).statusCode, 404);
    assert.equal((await send('DELETE', admin, `/api/v1/calendar/overrides/${id}`)).statusCode, 204);
    assert.equal((await send('DELETE', admin, `/api/v1/calendar/overrides/${id}`)).statusCode, 404);
    assert.deepEqual((await get(agent, '/api/v1/calendar/add?from=2026-09-11&workingDays=1')).json(), {
      date: '2026-09-14',
    });
  });

  test('every change is audited, and the trail verifies', async () => {
    const events = (
      await t.db.query<{ action: string; entity_type: string }>(
        "SELECT action, entity_type FROM audit_events WHERE org_id = $1 AND action LIKE 'calendar.%' ORDER BY seq",
        [a.orgId],
      )
    ).rows;
    assert.deepEqual(
      events.map((e) => e.action),
      [
        'calendar.settings.update',
        'calendar.settings.update',
        'calendar.override.create',
        'calendar.override.create',
        'calendar.override.create',
        'calendar.override.delete',
      ],
    );
    const report = await verifyAudit(t.db, a.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  test('customers audited before quiet_hours existed still verify (the column counts once set)', async () => {
    const row = { org_id: a.orgId, id: 'x', name: '张三' };
    assert.equal(stateHash('customer', { ...row, quiet_hours: null }), stateHash('customer', row));
    assert.notEqual(
      stateHash('customer', { ...row, quiet_hours: [['12:00', '14:00']] }),
      stateHash('customer', row),
    );
  });
});
