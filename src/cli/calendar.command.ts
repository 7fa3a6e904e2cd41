import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BusinessCalendar, defaultCalendarData, localIso, parseInstant } from '../modules/calendar/index.ts';
import { systemCtx } from '../platform/context.ts';
import { cliMessage } from './password-input.ts';
import { type Kept, print, resolveOrg, withKept } from './shared.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The org's calendar (--org, or the only org); with no organization at all, the built-in default calendar. */
async function calendarOf(k: Kept, o: { org?: string; scope?: string }): Promise<BusinessCalendar> {
  if (!o.org && (await k.services.identity.listOrgs()).length === 0) {
    process.stderr.write(
      'no organization yet: using the default calendar (Asia/Shanghai, Mon–Fri 09:00–12:00 and 13:30–18:00)\n',
    );
    return new BusinessCalendar(defaultCalendarData(), o.scope ?? null);
  }
  const org = await resolveOrg(k, o.org);
  return k.services.calendar.calendarFor(org.org_id, o.scope);
}

function instantOf(value: string, c: BusinessCalendar): Date {
  try {
    return parseInstant(value, c.timeZone, 'from');
  } catch {
    throw new Error('--from must be a date (YYYY-MM-DD) or an ISO instant (2026-09-28T17:00:00+08:00)');
  }
}

const TYPE_LABEL = {
  workday: '工作日 workday',
  weekend: '周末 weekend',
  holiday: '节假日 holiday',
  adjusted_workday: '调休上班 adjusted',
} as const;
const WEEKDAY = ['一 Mon', '二 Tue', '三 Wed', '四 Thu', '五 Fri', '六 Sat', '日 Sun'];

export function registerCalendarCommands(program: Command) {
  const cal = program
    .command('calendar')
    .description('the business calendar: working days and hours, holidays and 调休');
  cal
    .command('add')
    .description('add working days to a date, or working hours to an instant (in the org time zone)')
    .requiredOption(
      '--from <date|instant>',
      'YYYY-MM-DD, or an ISO instant such as 2026-09-28T17:00:00+08:00',
    )
    .option(
      '--working-days <n>',
      'the n-th working day after --from (0: --from itself if working, else the next)',
    )
    .option('--working-hours <h>', 'working hours to add (fractions allowed)')
    .option('--org <slug>', 'organization (default: the only one)')
    .option('--scope <scope>', 'a shop or branch with its own hours')
    .action(async (o) => {
      if ((o.workingDays === undefined) === (o.workingHours === undefined))
        throw new Error('give one of --working-days or --working-hours');
      const n = Number(o.workingDays ?? o.workingHours);
      if (
        !Number.isFinite(n) ||
        (o.workingDays !== undefined && !Number.isInteger(n)) ||
        (o.workingHours !== undefined && n < 0)
      )
        throw new Error('--working-days takes an integer, --working-hours a number ≥ 0');
      await withKept(async (k) => {
        const c = await calendarOf(k, o);
        if (o.workingDays !== undefined) {
          if (!DATE_RE.test(o.from))
            throw new Error('--from must be a date (YYYY-MM-DD) with --working-days');
          print(c.addWorkingDays(o.from, n));
        } else {
          print(localIso(c.addWorkingHours(instantOf(o.from, c), n), c.timeZone));
        }
      });
    });
  cal
    .command('import-holidays')
    .description(
      "import one year's official holiday / 调休 table (CSV date,kind,name or ICS), replacing that year's official days",
    )
    .argument('<file>', 'a .csv (date,kind,name; kind holiday or adjusted_workday) or .ics file')
    .option('--org <slug>', 'organization (default: the only one)')
    .action(async (file: string, o) => {
      const content = fs.readFileSync(file, 'utf8');
      await withKept(async (k) => {
        const org = await resolveOrg(k, o.org);
        const ctx = systemCtx(org.org_id, { name: 'kept calendar import-holidays' });
        const r = await k.services.calendar
          .importHolidays(ctx, { content, filename: path.basename(file) })
          .catch((e) => {
            throw cliMessage(e);
          });
        print(
          `imported ${r.year} for ${org.slug}: ${r.holidays} holidays, ${r.adjustedWorkdays} adjusted working days` +
            (r.replaced ? ` (replaced ${r.replaced} days imported before)` : ''),
        );
      });
    });
  cal
    .command('days')
    .description(
      'list days with their type (workday, weekend, holiday, adjusted working day) and working hours',
    )
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD (at most 400 days after --from)')
    .option('--org <slug>', 'organization (default: the only one)')
    .option('--scope <scope>', 'a shop or branch with its own hours')
    .action(async (o) => {
      if (!DATE_RE.test(o.from) || !DATE_RE.test(o.to) || o.to < o.from)
        throw new Error('--from and --to are dates (YYYY-MM-DD), --to not before --from');
      if ((Date.parse(o.to) - Date.parse(o.from)) / 86_400_000 >= 400)
        throw new Error('at most 400 days at a time');
      await withKept(async (k) => {
        const c = await calendarOf(k, o);
        for (const d of c.days(o.from, o.to)) {
          const wd = WEEKDAY[(new Date(`${d.date}T00:00:00Z`).getUTCDay() + 6) % 7];
          const hours = d.hours.map(([s, e]) => `${s}-${e}`).join(', ') || '—';
          print(
            [d.date, wd, TYPE_LABEL[d.type].padEnd(18), hours.padEnd(24), d.name ?? ''].join('  ').trimEnd(),
          );
        }
      });
    });
}
