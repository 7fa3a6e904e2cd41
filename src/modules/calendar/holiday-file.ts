import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { AppError, type FieldError } from '../../platform/http/errors.ts';

/**
 * An official holiday / 调休 table for one year, from a file an admin uploads: CSV (`date,kind,name`, a header
 * row optional) or iCalendar (ICS: one VEVENT per holiday or adjusted working day, all-day dates, DTEND
 * exclusive; a summary with 班 / 上班 / workday marks an adjusted working day). Every problem is reported with
 * the file's own line number; nothing is imported while any line is wrong.
 */
export interface OfficialDayIn {
  date: string;
  kind: 'holiday' | 'adjusted_workday';
  name: string;
  line: number;
}

export interface HolidayTable {
  year: number;
  source: 'csv' | 'ics';
  days: OfficialDayIn[];
}

const KINDS: Record<string, OfficialDayIn['kind']> = {
  holiday: 'holiday',
  off: 'holiday',
  rest: 'holiday',
  休: 'holiday',
  休息: 'holiday',
  放假: 'holiday',
  节假日: 'holiday',
  adjusted_workday: 'adjusted_workday',
  workday: 'adjusted_workday',
  work: 'adjusted_workday',
  班: 'adjusted_workday',
  上班: 'adjusted_workday',
  补班: 'adjusted_workday',
  调休上班: 'adjusted_workday',
};

const MAX_LINES = 2000;

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** "2027/1/1" and "2027-1-1" are read as 2027-01-01. */
function normalDate(s: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s.trim();
}

class Problems {
  readonly fields: Record<string, FieldError> = {};
  add(line: number, key: string, vars: Record<string, unknown> = {}) {
    this.fields[`line ${line}`] ??= { key, vars: { line, ...vars } };
  }
  get any() {
    return Object.keys(this.fields).length > 0;
  }
}

function parseCsvTable(text: string, problems: Problems): OfficialDayIn[] {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true, trim: true });
  } catch {
    throw new AppError('validation', { fields: { file: { key: 'validation.holiday_file' } } });
  }
  if (records.length > MAX_LINES)
    throw new AppError('validation', {
      fields: { file: { key: 'validation.holiday_too_long', vars: { max: MAX_LINES } } },
    });
  const days: OfficialDayIn[] = [];
  records.forEach((cols, i) => {
    const line = i + 1;
    if (cols.every((c) => c === '')) return;
    if (i === 0 && /^(date|日期)$/i.test(cols[0])) return; // header row
    if (cols[0].startsWith('#')) return; // a comment
    const date = normalDate(cols[0] ?? '');
    const kindText = (cols[1] ?? '').trim();
    const kind = KINDS[kindText.toLowerCase()];
    if (!validDate(date)) {
      problems.add(line, 'validation.holiday_bad_date', { value: cols[0] });
      return;
    }
    if (!kind) {
      problems.add(line, 'validation.holiday_bad_kind', { value: kindText });
      return;
    }
    days.push({ date, kind, name: (cols[2] ?? '').trim().slice(0, 100), line });
  });
  return days;
}

/** The line (1-based) of each BEGIN:VEVENT, in order: ICS problems are reported where their event starts. */
function eventLines(text: string): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (l.trim().toUpperCase() === 'BEGIN:VEVENT') out.push(i + 1);
  });
  return out;
}

const WORKDAY_SUMMARY = /班|上班|workday|working day/i;

function parseIcsTable(text: string, problems: Problems): OfficialDayIn[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch {
    throw new AppError('validation', { fields: { file: { key: 'validation.holiday_file' } } });
  }
  const lines = eventLines(text);
  const days: OfficialDayIn[] = [];
  root.getAllSubcomponents('vevent').forEach((ev, i) => {
    const line = lines[i] ?? 1;
    const start = ev.getFirstPropertyValue('dtstart');
    const end = ev.getFirstPropertyValue('dtend');
    const summary = String(ev.getFirstPropertyValue('summary') ?? '').trim();
    if (!(start instanceof ICAL.Time)) {
      problems.add(line, 'validation.holiday_bad_date', { value: '' });
      return;
    }
    if (!start.isDate) {
      problems.add(line, 'validation.holiday_not_all_day', { value: summary });
      return;
    }
    const kind: OfficialDayIn['kind'] = WORKDAY_SUMMARY.test(summary) ? 'adjusted_workday' : 'holiday';
    // A name without the trailing 休/班 marker many published calendars add ("春节 休" → 春节).
    const name = summary
      .replace(/[\s（(]*(休|班|放假|上班|补班)[）)]?$/, '')
      .trim()
      .slice(0, 100);
    const first = start.toString().slice(0, 10);
    const count = end instanceof ICAL.Time ? Math.round((end.toUnixTime() - start.toUnixTime()) / 86400) : 1;
    if (count < 1 || count > 31) {
      problems.add(line, 'validation.holiday_bad_span', { value: summary });
      return;
    }
    for (let k = 0; k < count; k++) {
      const d = new Date(Date.parse(`${first}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
      days.push({ date: d, kind, name, line });
    }
  });
  return days;
}

/** Reads a holiday table; throws a 422 naming each bad line (`line 7`) or the file. */
export function parseHolidayFile(text: string, filename?: string): HolidayTable {
  const isIcs = /^\s*BEGIN:VCALENDAR/i.test(text) || /\.ics$/i.test(filename ?? '');
  const problems = new Problems();
  const days = isIcs ? parseIcsTable(text, problems) : parseCsvTable(text, problems);
  // One year per file, each date once.
  const years = new Map<number, number>();
  for (const d of days)
    years.set(Number(d.date.slice(0, 4)), (years.get(Number(d.date.slice(0, 4))) ?? 0) + 1);
  const year = [...years.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const seen = new Map<string, number>();
  for (const d of days) {
    if (year !== undefined && Number(d.date.slice(0, 4)) !== year)
      problems.add(d.line, 'validation.holiday_other_year', { value: d.date, year });
    const first = seen.get(d.date);
    if (first !== undefined && first !== d.line)
      problems.add(d.line, 'validation.holiday_duplicate', { value: d.date, first });
    else seen.set(d.date, d.line);
  }
  if (problems.any) throw new AppError('validation', { fields: problems.fields });
  if (year === undefined)
    throw new AppError('validation', { fields: { file: { key: 'validation.holiday_year' } } });
  const unique = days.filter((d) => seen.get(d.date) === d.line);
  return { year, source: isIcs ? 'ics' : 'csv', days: unique };
}
