/**
 * Official holiday tables after the built-in data ends (issue 7, point 17): an admin imports a year (CSV or ICS)
 * that replaces the org's official days of that year, bad lines answer 422 by line number, the import is
 * audited; from November 1 (org time zone) calendar managers are warned once when next year's table is missing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { coverage } from './official-days.ts';

const FIX = path.resolve(import.meta.dirname, '../../../test/fixtures/holidays');
const csv2027 = fs.readFileSync(path.join(FIX, '2027-sample.csv'), 'utf8');
const ics2027 = fs.readFileSync(path.join(FIX, '2027-sample.ics'), 'utf8');

let t: TestApp;
let org: TestOrg;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
});
after(() => t.close());

const importAs = async (who: 'admin' | 'agent', content: string, filename?: string, lang = 'en') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/calendar/holidays/import',
    headers: as(await org.token(who), { 'accept-language': lang }),
    payload: { content, filename },
  });

async function days(from: string, to: string, o: TestOrg = org) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/calendar/days?from=${from}&to=${to}`,
    headers: as(await o.token('agent')),
  });
  assert.equal(r.statusCode, 200, r.body);
  return new Map(
    (r.json().items as Array<{ date: string; type: string; name?: string }>).map((d) => [d.date, d]),
  );
}

describe('import of an official holiday table', () => {
  it('the built-in data ends before 2027, so 2027 needs an import', () => {
    assert.ok(coverage() < 2027, `chinese-days covers ${coverage()}`);
  });

  it('a CSV makes the year count: holidays and adjusted working days, audited', async () => {
    const beforeImport = await days('2027-02-05', '2027-02-21');
    assert.equal(beforeImport.get('2027-02-08')?.type, 'workday', 'no 2027 data: a Monday is a workday');

    const r = await importAs('admin', csv2027, '2027.csv');
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), {
      year: 2027,
      source: 'csv',
      days: 12,
      holidays: 10,
      adjustedWorkdays: 2,
      replaced: 0,
    });
    const d = await days('2027-02-05', '2027-02-21');
    assert.equal(d.get('2027-02-05')?.type, 'workday');
    assert.deepEqual(d.get('2027-02-08'), { ...d.get('2027-02-08'), type: 'holiday', name: '春节' });
    assert.equal(d.get('2027-02-20')?.type, 'adjusted_workday', 'a Saturday worked (调休)');
    assert.equal(d.get('2027-02-21')?.type, 'weekend');
    // due dates follow: the first working day after the Spring Festival week
    const add = await t.app.inject({
      method: 'GET',
      url: '/api/v1/calendar/add?from=2027-02-05&workingDays=1',
      headers: as(await org.token('agent')),
    });
    assert.equal(add.json().date, '2027-02-15');

    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events?entityType=calendar_official_year',
      headers: as(await org.token('admin')),
    });
    const ev = audit.json().items.find((e: { action: string }) => e.action === 'calendar.holidays.import');
    assert.ok(ev, audit.body);
  });

  it('an ICS of the same year replaces the CSV days (a date left out is ordinary again)', async () => {
    const r = await importAs('admin', ics2027, 'holidays.ics');
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), {
      year: 2027,
      source: 'ics',
      days: 10,
      holidays: 9,
      adjustedWorkdays: 1,
      replaced: 12,
    });
    const d = await days('2027-01-01', '2027-10-11');
    assert.equal(d.get('2027-01-01')?.name, '元旦');
    assert.equal(d.get('2027-02-13')?.type, 'holiday', 'a multi-day event covers each day until DTEND');
    assert.equal(d.get('2027-02-14')?.type, 'weekend', 'DTEND is exclusive');
    assert.equal(d.get('2027-02-20')?.type, 'adjusted_workday');
    assert.equal(d.get('2027-10-01')?.type, 'workday', 'not in the new table: an ordinary Friday');
    assert.equal(d.get('2027-10-09')?.type, 'weekend');
    // other orgs are untouched
    const other = await buildOrg(t.services);
    assert.equal((await days('2027-02-08', '2027-02-08', other)).get('2027-02-08')?.type, 'workday');
  });

  it('bad lines answer 422 naming each line in the caller language, and nothing changes', async () => {
    const bad = [
      'date,kind,name',
      '2028-01-01,holiday,元旦',
      '2028-02-30,holiday,春节',
      '2028-05-01,vacation,劳动节',
      '2029-05-02,holiday,劳动节',
      '2028-01-01,holiday,again',
    ].join('\n');
    const r = await importAs('admin', bad, 'x.csv');
    assert.equal(r.statusCode, 422, r.body);
    assert.deepEqual(r.json().error.fields, {
      'line 3': 'Line 3: "2028-02-30" is not a date (YYYY-MM-DD)',
      'line 4': 'Line 4: kind "vacation" is neither holiday nor adjusted_workday',
      'line 5': 'Line 5: 2029-05-02 is not in 2028 (one year per file)',
      'line 6': 'Line 6: 2028-01-01 is already on line 2',
    });
    const zh = await importAs('admin', bad, 'x.csv', 'zh-CN');
    assert.equal(zh.json().error.fields['line 3'], '第 3 行：“2028-02-30”不是日期（YYYY-MM-DD）');
    const status = await t.app.inject({
      method: 'GET',
      url: '/api/v1/calendar/holidays',
      headers: as(await org.token('admin')),
    });
    assert.deepEqual(status.json().importedYears, [2027]);

    const icsBad = ics2027.replace('DTSTART;VALUE=DATE:20270220', 'DTSTART:20270220T090000');
    const r2 = await importAs('admin', icsBad, 'h.ics');
    assert.equal(r2.statusCode, 422);
    assert.deepEqual(Object.keys(r2.json().error.fields), ['line 16']);
    assert.match(r2.json().error.fields['line 16'], /not an all-day date/);

    const garbage = await importAs('admin', 'BEGIN:VCALENDAR\nthis is not ics', 'h.ics');
    assert.equal(garbage.statusCode, 422);
    assert.ok(garbage.json().error.fields.file);
    const empty = await importAs('admin', 'date,kind,name\n', 'h.csv');
    assert.equal(empty.statusCode, 422);
    assert.ok(empty.json().error.fields.file);
  });

  it('only calendar managers import: an agent gets 403', async () => {
    const r = await importAs('agent', csv2027);
    assert.equal(r.statusCode, 403);
  });
});

describe('warning when next year is missing', () => {
  it('warns calendar managers once from November 1 in the org time zone, not in October', async () => {
    const o = await buildOrg(t.services);
    const svc = t.services.calendar;
    const notes = async (who: 'admin' | 'agent') => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/v1/notifications',
        headers: as(await o.token(who), { 'accept-language': 'en' }),
      });
      return (r.json().items as Array<{ kind: string; title: string; link: string | null }>).filter(
        (n) => n.kind === 'calendar.holidays_missing',
      );
    };
    const status = async (now: Date) => (await svc.holidayStatus(await o.ctx('admin'), now)).missingYear;
    // 2026-10-31 23:30 in Shanghai (15:30 UTC): October, nothing yet.
    const october = new Date('2026-10-31T15:30:00Z');
    assert.equal(await status(october), null);
    await svc.warnMissingHolidays(october);
    assert.equal((await notes('admin')).length, 0);
    // 2026-11-01 00:30 in Shanghai (still October 31 in UTC): next year's table is missing.
    const november = new Date('2026-10-31T16:30:00Z');
    assert.equal(await status(november), 2027);
    await svc.warnMissingHolidays(november);
    await svc.warnMissingHolidays(new Date('2026-11-02T02:00:00Z'));
    const admin = await notes('admin');
    assert.equal(admin.length, 1, 'once, however often the check runs');
    assert.equal(admin[0].link, '/admin/calendar');
    assert.match(admin[0].title, /2027/);
    assert.equal((await notes('agent')).length, 0, 'agents cannot import the table: not told');

    // An org whose 2027 table was imported is not warned; its status is clear.
    const ready = await buildOrg(t.services);
    await t.services.calendar.importHolidays(await ready.ctx('admin'), { content: csv2027 });
    assert.equal((await svc.holidayStatus(await ready.ctx('admin'), november)).missingYear, null);
  });
});
