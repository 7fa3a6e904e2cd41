/**
 * Every 2026 public holiday and adjusted working day (调休), written out from the State Council's notice on the
 * 2026 holiday schedule (国务院办公厅关于2026年部分节假日安排的通知), checked against chinese-days and against our
 * calendar, with the days around each block: the last working day before it and the first working day after it.
 * chinese-days agrees with the notice on every date; its names are short forms (清明, 端午, 中秋 for 清明节, 端午节,
 * 中秋节), which we show as given.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import chineseDays from 'chinese-days';
import { BusinessCalendar } from './business-calendar.ts';
import { addDays, defaultCalendarData } from './calendar.types.ts';
import { coverage } from './official-days.ts';

interface Block {
  name: string;
  /** chinese-days' Chinese name */
  cdName: string;
  off: [string, string];
  makeUp: string[];
  lastWorkingBefore: string;
  firstWorkingAfter: string;
}

const SCHEDULE_2026: Block[] = [
  {
    name: '元旦',
    cdName: '元旦',
    off: ['2026-01-01', '2026-01-03'],
    makeUp: ['2026-01-04'],
    lastWorkingBefore: '2025-12-31',
    firstWorkingAfter: '2026-01-04',
  },
  {
    name: '春节',
    cdName: '春节',
    off: ['2026-02-15', '2026-02-23'],
    makeUp: ['2026-02-14', '2026-02-28'],
    lastWorkingBefore: '2026-02-14',
    firstWorkingAfter: '2026-02-24',
  },
  {
    name: '清明节',
    cdName: '清明',
    off: ['2026-04-04', '2026-04-06'],
    makeUp: [],
    lastWorkingBefore: '2026-04-03',
    firstWorkingAfter: '2026-04-07',
  },
  {
    name: '劳动节',
    cdName: '劳动节',
    off: ['2026-05-01', '2026-05-05'],
    makeUp: ['2026-05-09'],
    lastWorkingBefore: '2026-04-30',
    firstWorkingAfter: '2026-05-06',
  },
  {
    name: '端午节',
    cdName: '端午',
    off: ['2026-06-19', '2026-06-21'],
    makeUp: [],
    lastWorkingBefore: '2026-06-18',
    firstWorkingAfter: '2026-06-22',
  },
  {
    name: '中秋节',
    cdName: '中秋',
    off: ['2026-09-25', '2026-09-27'],
    makeUp: [],
    lastWorkingBefore: '2026-09-24',
    firstWorkingAfter: '2026-09-28',
  },
  {
    name: '国庆节',
    cdName: '国庆节',
    off: ['2026-10-01', '2026-10-07'],
    makeUp: ['2026-09-20', '2026-10-10'],
    lastWorkingBefore: '2026-09-30',
    firstWorkingAfter: '2026-10-08',
  },
];

const HOLIDAYS = new Map<string, string>();
const MAKE_UP = new Map<string, string>();
for (const b of SCHEDULE_2026) {
  for (let d = b.off[0]; d <= b.off[1]; d = addDays(d, 1)) HOLIDAYS.set(d, b.cdName);
  for (const d of b.makeUp) MAKE_UP.set(d, b.cdName);
}

const cal = new BusinessCalendar(defaultCalendarData());
/**
 * chinese-days' own getDayDetail, with a local-noon Date. Its tables shift days in time zones west of UTC (see
 * official-days.ts), so there we compare with its prebuilt JSON table instead; the last test runs our calendar
 * in America/Los_Angeles to show it does not depend on the process time zone.
 */
const westOfUtc = new Date(2026, 0, 1).getTimezoneOffset() > 0;
const table = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const detail = (date: string) => {
  if (westOfUtc) {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    const name = table.holidays[date] ?? table.workdays[date] ?? '';
    return {
      work: table.holidays[date] ? false : table.workdays[date] ? true : dow !== 0 && dow !== 6,
      name,
    };
  }
  const [y, m, d] = date.split('-').map(Number);
  return chineseDays.getDayDetail(new Date(y, m - 1, d, 12));
};

describe('the official 2026 schedule', () => {
  it('has 33 holiday days and 6 adjusted working days', () => {
    assert.equal(HOLIDAYS.size, 33);
    assert.equal(MAKE_UP.size, 6);
  });

  for (const b of SCHEDULE_2026) {
    it(`${b.name}: ${b.off[0]}…${b.off[1]} off${b.makeUp.length ? `, ${b.makeUp.join(' and ')} worked` : ''}`, () => {
      for (let d = b.off[0]; d <= b.off[1]; d = addDays(d, 1)) {
        assert.equal(detail(d).work, false, `chinese-days: ${d} is off`);
        assert.equal(detail(d).name.split(',')[1], b.cdName, `chinese-days names ${d}`);
        assert.deepEqual(cal.dayType(d), { type: 'holiday', name: b.cdName }, d);
        assert.equal(cal.isWorkingDay(d), false, d);
        assert.deepEqual(cal.day(d).hours, []);
      }
      for (const d of b.makeUp) {
        assert.equal(detail(d).work, true, `chinese-days: ${d} is worked`);
        assert.deepEqual(cal.dayType(d), { type: 'adjusted_workday', name: b.cdName }, d);
        assert.equal(cal.isWorkingDay(d), true, d);
        assert.deepEqual(
          cal.day(d).hours,
          [
            ['09:00', '12:00'],
            ['13:30', '18:00'],
          ],
          `${d} has Monday's hours`,
        );
      }
      // The boundaries: the working day before the block and the first working day after it.
      assert.equal(cal.isWorkingDay(b.lastWorkingBefore), true, b.lastWorkingBefore);
      assert.equal(
        cal.addWorkingDays(b.lastWorkingBefore, 1),
        b.firstWorkingAfter,
        `the working day after ${b.lastWorkingBefore}`,
      );
      assert.equal(cal.addWorkingDays(b.off[0], 0), b.firstWorkingAfter, `n = 0 from the first day off`);
      assert.equal(
        cal.addWorkingDays(b.firstWorkingAfter, -1),
        b.lastWorkingBefore,
        `the working day before ${b.firstWorkingAfter}`,
      );
      assert.equal(
        cal.isWorkingDay(addDays(b.off[0], -1)),
        false === HOLIDAYS.has(addDays(b.off[0], -1)) && cal.day(addDays(b.off[0], -1)).type !== 'weekend',
      );
    });
  }

  it('every other day of 2026 is a weekday to work or a weekend to rest, exactly as chinese-days says', () => {
    let working = 0;
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      const want = HOLIDAYS.has(d)
        ? 'holiday'
        : MAKE_UP.has(d)
          ? 'adjusted_workday'
          : dow === 0 || dow === 6
            ? 'weekend'
            : 'workday';
      assert.equal(cal.day(d).type, want, d);
      assert.equal(detail(d).work, want === 'workday' || want === 'adjusted_workday', `chinese-days on ${d}`);
      if (cal.isWorkingDay(d)) working++;
    }
    // 365 days − 104 weekend days − 19 holidays on weekdays + 6 make-up days
    assert.equal(working, 248);
  });

  it('getWorkdaysInRange(…, true) agrees with our working days', {
    skip: westOfUtc && 'chinese-days shifts days west of UTC',
  }, () => {
    const theirs = chineseDays.getWorkdaysInRange(new Date(2026, 0, 1, 12), new Date(2026, 11, 31, 12), true);
    const ours = cal
      .days('2026-01-01', '2026-12-31')
      .filter((d) => d.working)
      .map((d) => d.date);
    assert.deepEqual(ours, theirs);
  });

  it('the example: 10 working days after 2026-09-28 is 2026-10-16 (National Day off, 10-10 worked)', () => {
    assert.equal(cal.addWorkingDays('2026-09-28', 10), '2026-10-16');
  });

  it('coverage names the last year with official data; later years are weekends only', () => {
    assert.ok(coverage() >= 2026);
    const y = coverage() + 1;
    assert.deepEqual(
      cal.dayType(`${y}-10-01`).type,
      [0, 6].includes(new Date(`${y}-10-01T00:00Z`).getUTCDay()) ? 'weekend' : 'workday',
    );
  });

  it('does not depend on the process time zone (America/Los_Angeles, Pacific/Kiritimati)', () => {
    const script = `import { BusinessCalendar } from './src/modules/calendar/business-calendar.ts';
      import { defaultCalendarData } from './src/modules/calendar/calendar.types.ts';
      const c = new BusinessCalendar(defaultCalendarData());
      console.log(c.days('2026-01-01', '2026-12-31').filter((d) => d.working).length, c.addWorkingDays('2026-09-28', 10), c.dayType('2026-01-03').type);`;
    for (const TZ of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ },
        encoding: 'utf8',
      });
      assert.equal(out.trim(), '248 2026-10-16 holiday', TZ);
    }
  });
});
