/**
 * The calendar's arithmetic over a loaded calendar (no database): working days, working hours walked through
 * the day's intervals in the org's time zone, overrides and shop-scoped hours, and working time between two
 * instants agreeing with addWorkingHours.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../platform/http/errors.ts';
import { BusinessCalendar } from './business-calendar.ts';
import {
  type CalendarData,
  defaultCalendarData,
  type OverrideRule,
  type WeekHours,
} from './calendar.types.ts';

const cal = new BusinessCalendar(defaultCalendarData());
const at = (s: string) => new Date(s);
const plus = (from: string, hours: number, c = cal) => c.addWorkingHours(at(from), hours).toISOString();
const iso = (s: string) => new Date(s).toISOString();
const withOverrides = (
  overrides: OverrideRule[],
  extra: Partial<CalendarData> = {},
  scope: string | null = null,
) => new BusinessCalendar({ ...defaultCalendarData(), overrides, ...extra }, scope);
const rule = (date: string, kind: OverrideRule['kind'], o: Partial<OverrideRule> = {}): OverrideRule => ({
  date,
  kind,
  hours: null,
  name: '',
  scope: null,
  ...o,
});

describe('addWorkingDays', () => {
  it('n = 0 is the date itself when working, else the next working day', () => {
    assert.equal(cal.addWorkingDays('2026-09-29', 0), '2026-09-29');
    assert.equal(cal.addWorkingDays('2026-10-03', 0), '2026-10-08');
    assert.equal(cal.addWorkingDays('2026-10-11', 0), '2026-10-12');
  });
  it('counts the n-th working day after, or before for n < 0', () => {
    assert.equal(cal.addWorkingDays('2026-09-28', 10), '2026-10-16');
    assert.equal(cal.addWorkingDays('2026-09-30', 1), '2026-10-08');
    assert.equal(cal.addWorkingDays('2026-10-09', 1), '2026-10-10', 'the 调休 Saturday counts');
    assert.equal(cal.addWorkingDays('2026-10-16', -10), '2026-09-28');
  });
  it('a calendar without working days fails with a validation error, not a hang', () => {
    const none = new BusinessCalendar({
      ...defaultCalendarData(),
      workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    });
    assert.throws(
      () => none.addWorkingDays('2026-01-05', 1),
      (e: unknown) => e instanceof AppError && e.code === 'validation',
    );
    assert.throws(
      () => none.addWorkingHours(at('2026-01-05T00:00:00+08:00'), 1),
      (e: unknown) => e instanceof AppError && e.code === 'validation',
    );
  });
});

describe('addWorkingHours (09:00–12:00, 13:30–18:00, Asia/Shanghai)', () => {
  it('2026-09-30 17:00 + 2 h → 2026-10-08 10:00, after the National Day holiday', () => {
    assert.equal(plus('2026-09-30T17:00:00+08:00', 2), iso('2026-10-08T10:00:00+08:00'));
  });
  it('skips the lunch break', () => {
    assert.equal(plus('2026-09-29T11:00:00+08:00', 2), iso('2026-09-29T14:30:00+08:00'));
    assert.equal(
      plus('2026-09-29T11:00:00+08:00', 1),
      iso('2026-09-29T12:00:00+08:00'),
      'ends at the end of the morning',
    );
  });
  it('starts at the next working instant when given a non-working one', () => {
    assert.equal(plus('2026-09-29T12:30:00+08:00', 1), iso('2026-09-29T14:30:00+08:00'));
    assert.equal(plus('2026-09-29T07:00:00+08:00', 1), iso('2026-09-29T10:00:00+08:00'));
    assert.equal(plus('2026-09-29T19:00:00+08:00', 1), iso('2026-09-30T10:00:00+08:00'));
    assert.equal(plus('2026-09-27T10:00:00+08:00', 1), iso('2026-09-28T10:00:00+08:00'), 'from a holiday');
  });
  it('takes fractional hours', () => {
    assert.equal(plus('2026-09-29T09:00:00+08:00', 0.25), iso('2026-09-29T09:15:00+08:00'));
    assert.equal(plus('2026-09-29T11:00:00+08:00', 1.5), iso('2026-09-29T14:00:00+08:00'));
    assert.equal(
      plus('2026-09-29T09:00:00+08:00', 7.5),
      iso('2026-09-29T18:00:00+08:00'),
      'a full day is 7.5 h',
    );
  });
  it('crosses a weekend', () => {
    assert.equal(plus('2026-09-11T17:00:00+08:00', 2), iso('2026-09-14T10:00:00+08:00'));
  });
  it('accepts a date-only start as that day’s 00:00', () => {
    assert.equal(plus('2026-09-28T00:00:00+08:00', 4), iso('2026-09-28T14:30:00+08:00'));
  });
  it('zero hours is the instant itself', () => {
    assert.equal(plus('2026-09-29T12:30:00+08:00', 0), iso('2026-09-29T12:30:00+08:00'));
  });
  it('an org holiday override and an extra working day shift the result', () => {
    const holiday = withOverrides([rule('2026-09-14', 'holiday', { name: '公司年会' })]);
    assert.equal(plus('2026-09-11T17:00:00+08:00', 2, holiday), iso('2026-09-15T10:00:00+08:00'));
    assert.deepEqual(holiday.dayType('2026-09-14'), { type: 'holiday', name: '公司年会' });
    assert.equal(holiday.addWorkingDays('2026-09-11', 1), '2026-09-15');
    const saturday = withOverrides([rule('2026-09-12', 'workday')]);
    assert.equal(plus('2026-09-11T17:00:00+08:00', 2, saturday), iso('2026-09-12T10:00:00+08:00'));
    assert.deepEqual(saturday.dayType('2026-09-12'), { type: 'adjusted_workday' });
    const national = withOverrides([rule('2026-10-02', 'workday', { hours: [['10:00', '16:00']] })]);
    assert.equal(plus('2026-09-30T17:00:00+08:00', 2, national), iso('2026-10-02T11:00:00+08:00'));
    assert.deepEqual(national.dayType('2026-10-02'), { type: 'adjusted_workday', name: '国庆节' });
  });
  it('special hours on a date replace that day’s intervals', () => {
    const short = withOverrides([rule('2026-09-29', 'hours', { hours: [['09:00', '11:00']], name: '半天' })]);
    assert.equal(plus('2026-09-29T10:00:00+08:00', 2, short), iso('2026-09-30T10:00:00+08:00'));
    assert.equal(short.day('2026-09-29').type, 'workday');
  });
  it('a shop with its own week and its own override; other scopes fall back to the org calendar', () => {
    const long: WeekHours = {
      mon: [['10:00', '22:00']],
      tue: [['10:00', '22:00']],
      wed: [['10:00', '22:00']],
      thu: [['10:00', '22:00']],
      fri: [['10:00', '22:00']],
      sat: [['10:00', '22:00']],
      sun: [],
    };
    const data = { scopedHours: { 'shop-1': long } };
    const overrides = [rule('2026-09-12', 'holiday', { scope: 'shop-1', name: '盘点' })];
    const shop = withOverrides(overrides, data, 'shop-1');
    assert.equal(
      plus('2026-09-11T17:00:00+08:00', 6, shop),
      iso('2026-09-14T11:00:00+08:00'),
      'Saturday closed for stocktaking',
    );
    const shop2 = withOverrides([], data, 'shop-1');
    assert.equal(
      plus('2026-09-11T17:00:00+08:00', 6, shop2),
      iso('2026-09-12T11:00:00+08:00'),
      'the shop works Saturdays',
    );
    const other = withOverrides(overrides, data, 'shop-2');
    assert.equal(
      plus('2026-09-11T17:00:00+08:00', 2, other),
      iso('2026-09-14T10:00:00+08:00'),
      'another shop uses the org week',
    );
    const org = withOverrides(overrides, data);
    assert.equal(org.isWorkingDay('2026-09-12'), false);
    assert.equal(shop2.isWorkingDay('2026-10-01'), false, 'public holidays apply to shops unless overridden');
  });
  it('walks wall-clock hours in a zone with daylight saving time', () => {
    const berlin = new BusinessCalendar({ ...defaultCalendarData('Europe/Berlin') });
    // Friday 27 March 2026 17:00 CET + 2 h → Monday 30 March 10:00 CEST (clocks changed on Sunday)
    assert.equal(plus('2026-03-27T17:00:00+01:00', 2, berlin), iso('2026-03-30T10:00:00+02:00'));
  });
});

describe('workingTimeBetween', () => {
  it('counts only working time', () => {
    assert.equal(
      cal.workingTimeBetween(at('2026-09-30T17:00:00+08:00'), at('2026-10-08T10:00:00+08:00')),
      2 * 3_600_000,
    );
    assert.equal(
      cal.workingTimeBetween(at('2026-09-28T00:00:00+08:00'), at('2026-09-29T00:00:00+08:00')),
      7.5 * 3_600_000,
    );
    assert.equal(
      cal.workingTimeBetween(at('2026-10-08T10:00:00+08:00'), at('2026-09-30T17:00:00+08:00')),
      -2 * 3_600_000,
    );
    assert.equal(cal.workingTimeBetween(at('2026-10-03T10:00:00+08:00'), at('2026-10-03T15:00:00+08:00')), 0);
  });

  it('agrees with addWorkingHours for many random instants in 2026', () => {
    let seed = 20260101;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const start = Date.parse('2026-01-01T00:00:00+08:00');
    const year = 365 * 86_400_000;
    for (let i = 0; i < 2000; i++) {
      const t = new Date(start + Math.floor(rnd() * year));
      const hours = Math.round(rnd() * 80 * 60) / 60; // up to ~10 working days, in whole minutes
      const end = cal.addWorkingHours(t, hours);
      assert.equal(
        cal.workingTimeBetween(t, end),
        Math.round(hours * 3_600_000),
        `${t.toISOString()} + ${hours} h`,
      );
      // and the other way round: a random pair, then walking the working time between them lands no later than b
      const b = new Date(t.getTime() + Math.floor(rnd() * 20 * 86_400_000));
      const ms = cal.workingTimeBetween(t, b);
      const back = cal.addWorkingHours(t, ms / 3_600_000);
      assert.ok(back.getTime() <= b.getTime(), `${t.toISOString()} → ${b.toISOString()}`);
      assert.equal(cal.workingTimeBetween(back, b), 0, 'nothing left to work between the walk’s end and b');
    }
  });
});
