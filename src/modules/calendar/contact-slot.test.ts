/**
 * Contact slots respect the customer's time: never inside quiet hours (the org's 12:00–14:00 and 21:00–09:00,
 * or the customer's own), always inside working hours of a working day; an unreached visit is retried on a
 * later working day in the other time slot (morning ↔ afternoon).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar.ts';
import { addDays, defaultCalendarData, type Interval, minutesOf } from './calendar.types.ts';
import { nextContactSlot } from './contact-slot.ts';

const cal = new BusinessCalendar(defaultCalendarData());
const at = (s: string) => new Date(s);
const iso = (s: string) => new Date(s).toISOString();
const slot = (after: string, quiet: Interval[] | null = null, opts = {}) =>
  nextContactSlot(cal, quiet, at(after), opts)?.toISOString();

function inQuiet(t: Date, quiet: Interval[]): boolean {
  const dt = DateTime.fromJSDate(t, { zone: 'Asia/Shanghai' });
  const m = dt.hour * 60 + dt.minute + dt.second / 60;
  return quiet.some(([s, e]) => {
    const a = minutesOf(s);
    const b = minutesOf(e);
    return a < b ? m >= a && m < b : m >= a || m < b;
  });
}
const inWorking = (t: Date) => cal.workingTimeBetween(t, new Date(t.getTime() + 1000)) === 1000;

describe('nextContactSlot', () => {
  it('around the org quiet hours (12:00–14:00, 21:00–09:00)', () => {
    assert.equal(slot('2026-09-29T11:59:00+08:00'), iso('2026-09-29T11:59:00+08:00'));
    assert.equal(slot('2026-09-29T12:00:00+08:00'), iso('2026-09-29T14:00:00+08:00'));
    assert.equal(
      slot('2026-09-29T13:59:00+08:00'),
      iso('2026-09-29T14:00:00+08:00'),
      'working from 13:30 but quiet until 14:00',
    );
    assert.equal(slot('2026-09-29T17:59:00+08:00'), iso('2026-09-29T17:59:00+08:00'));
    assert.equal(slot('2026-09-29T20:59:00+08:00'), iso('2026-09-30T09:00:00+08:00'));
    assert.equal(slot('2026-09-29T21:00:00+08:00'), iso('2026-09-30T09:00:00+08:00'));
    assert.equal(slot('2026-09-30T08:59:00+08:00'), iso('2026-09-30T09:00:00+08:00'));
    assert.equal(
      slot('2026-09-30T19:00:00+08:00'),
      iso('2026-10-08T09:00:00+08:00'),
      'not during the National Day holiday',
    );
  });

  it('uses the customer’s own quiet hours instead of the org default', () => {
    const own: Interval[] = [
      ['09:00', '10:30'],
      ['17:00', '09:00'],
    ];
    assert.equal(slot('2026-09-29T09:00:00+08:00', own), iso('2026-09-29T10:30:00+08:00'));
    assert.equal(
      slot('2026-09-29T12:30:00+08:00', own),
      iso('2026-09-29T13:30:00+08:00'),
      'lunch is not quiet for this customer',
    );
    assert.equal(slot('2026-09-29T17:00:00+08:00', own), iso('2026-09-30T10:30:00+08:00'));
  });

  it('honours notBefore', () => {
    assert.equal(
      slot('2026-09-29T09:00:00+08:00', null, { notBefore: at('2026-09-29T15:00:00+08:00') }),
      iso('2026-09-29T15:00:00+08:00'),
    );
  });

  it('is never inside quiet hours nor outside working hours, and nothing earlier qualifies (many instants)', () => {
    const quiets: Array<Interval[] | null> = [
      null,
      [
        ['09:00', '10:30'],
        ['17:00', '09:00'],
      ],
      [['11:00', '15:00']],
      [['20:00', '11:30']],
    ];
    const times = [
      '08:59',
      '09:00',
      '11:59',
      '12:00',
      '13:29',
      '13:30',
      '13:59',
      '14:00',
      '17:59',
      '18:00',
      '20:59',
      '21:00',
      '23:59',
      '00:00',
    ];
    let checked = 0;
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 3)) {
      for (const hm of times) {
        for (const q of quiets) {
          const after = at(`${d}T${hm}:00+08:00`);
          const r = nextContactSlot(cal, q, after);
          assert.ok(r, `${d} ${hm}`);
          assert.ok(r.getTime() >= after.getTime());
          assert.ok(inWorking(r), `${r.toISOString()} is in working hours`);
          assert.ok(
            !inQuiet(r, q ?? defaultCalendarData().quietHours),
            `${r.toISOString()} is outside quiet hours ${JSON.stringify(q)}`,
          );
          // minimality on a 5-minute grid up to the answer, for one case in 10 (walking time is slow to check)
          if (checked % 10 === 0)
            for (let t = after.getTime(); t < r.getTime() && t < after.getTime() + 86_400_000; t += 300_000) {
              const x = new Date(t);
              assert.ok(
                !inWorking(x) || inQuiet(x, q ?? defaultCalendarData().quietHours),
                `${x.toISOString()} would have been earlier`,
              );
            }
          checked++;
        }
      }
    }
    assert.ok(checked > 6000);
  });

  it('retries an unreached visit on a later working day, in the other time slot', () => {
    const retry = (prev: string, q: Interval[] | null = null) =>
      slot(prev, q, { differentSlotFrom: at(prev), laterWorkingDay: true });
    assert.equal(
      retry('2026-09-29T10:00:00+08:00'),
      iso('2026-09-30T14:00:00+08:00'),
      'morning → afternoon of the next working day',
    );
    assert.equal(
      retry('2026-09-30T15:00:00+08:00'),
      iso('2026-10-08T09:00:00+08:00'),
      'afternoon → morning, after the holiday',
    );
    assert.equal(
      retry('2026-10-09T10:00:00+08:00'),
      iso('2026-10-10T14:00:00+08:00'),
      'the 调休 Saturday is a working day',
    );
    assert.equal(retry('2026-09-29T11:59:00+08:00'), iso('2026-09-30T14:00:00+08:00'));
    assert.equal(retry('2026-09-29T14:00:00+08:00'), iso('2026-09-30T09:00:00+08:00'));
    // a customer reachable only in the afternoon: no other slot exists, so the next afternoon rather than never
    assert.equal(
      retry('2026-09-29T15:00:00+08:00', [
        ['00:00', '13:30'],
        ['18:00', '24:00'],
      ]),
      iso('2026-09-30T13:30:00+08:00'),
    );
    // without laterWorkingDay, the other slot of the same day will do
    assert.equal(
      slot('2026-09-29T10:00:00+08:00', null, { differentSlotFrom: at('2026-09-29T10:00:00+08:00') }),
      iso('2026-09-29T14:00:00+08:00'),
    );
  });

  it('retries, looped: always a later working day and never the same working interval', () => {
    let prev = at('2026-01-05T09:30:00+08:00');
    for (let i = 0; i < 150; i++) {
      const r = nextContactSlot(cal, null, prev, { differentSlotFrom: prev, laterWorkingDay: true });
      assert.ok(r);
      assert.ok(cal.dateOf(r) > cal.dateOf(prev));
      assert.ok(cal.isWorkingDay(cal.dateOf(r)));
      const morning = (t: Date) => cal.minuteOf(t.getTime()) < 12 * 60;
      assert.notEqual(morning(r), morning(prev), `${prev.toISOString()} → ${r.toISOString()}`);
      prev = r;
    }
  });

  it('null when the customer is never reachable', () => {
    assert.equal(slot('2026-09-29T10:00:00+08:00', [['00:00', '24:00']]), undefined);
  });
});
