import { IANAZone } from 'luxon';
import { z } from 'zod';
import { isIsoDate, isTimeOfDay, minutesOf, WEEKDAYS } from './calendar.types.ts';

/** zod schemas of the calendar API; messages are i18n keys (validation.*) translated per caller. */

const Time = z.string().refine(isTimeOfDay, { error: 'validation.time' });

export const WorkingInterval = z
  .tuple([Time, Time])
  .refine(([s, e]) => !isTimeOfDay(s) || !isTimeOfDay(e) || minutesOf(s) < minutesOf(e), {
    error: 'validation.time_interval',
  })
  .describe('["09:00","12:00"]: start before end; "24:00" allowed as an end');

const DayHours = z
  .array(WorkingInterval)
  .max(8)
  .superRefine((list, c) => {
    const sorted = list
      .filter(([s, e]) => isTimeOfDay(s) && isTimeOfDay(e))
      .map(([s, e]) => [minutesOf(s), minutesOf(e)])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i][0] < sorted[i - 1][1]) c.addIssue({ code: 'custom', message: 'validation.time_overlap' });
  });

export const WeekHoursIn = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours.default([])])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodDefault<typeof DayHours>
  >,
);

/** Customer quiet hours: like working intervals, but an interval may wrap midnight (["21:00","09:00"]). */
export const QuietInterval = z
  .tuple([Time, Time])
  .refine(([s, e]) => s !== e && s !== '24:00', { error: 'validation.time_interval' })
  .describe('["12:00","14:00"]; ["21:00","09:00"] wraps midnight');
export const QuietHoursIn = z.array(QuietInterval).max(8);

export const Scope = z.string().trim().min(1).max(100);

export const SettingsIn = z.object({
  timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), { error: 'validation.time_zone' }),
  workingHours: WeekHoursIn,
  scopedHours: z
    .record(Scope, WeekHoursIn)
    .default({})
    .describe('a shop or branch id → its own week of working hours'),
  quietHours: QuietHoursIn.describe("default customer quiet hours (a customer's own override these)"),
});
export type SettingsInput = z.infer<typeof SettingsIn>;

const IntervalOut = z.tuple([z.string(), z.string()]);
const WeekOut = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(IntervalOut)])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodArray<typeof IntervalOut>
  >,
);

export const SettingsOut = z
  .object({
    timeZone: z.string(),
    workingHours: WeekOut,
    scopedHours: z.record(z.string(), WeekOut),
    quietHours: z.array(IntervalOut),
    coverage: z
      .number()
      .describe(
        'the last year with official holiday data; later years have weekends only plus your overrides',
      ),
    version: z.number(),
  })
  .meta({ id: 'CalendarSettings' });

export const DateStr = z.string().refine(isIsoDate, { error: 'validation.date' });
/** An instant ("2026-09-28T17:00:00+08:00"; without an offset: in the org's zone) or a date (its 00:00 in the org's zone). */
export const InstantStr = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i.test(s) &&
      isIsoDate(s.slice(0, 10)),
    {
      error: 'validation.datetime',
    },
  );

export const OverrideIn = z
  .object({
    date: DateStr,
    kind: z.enum(['holiday', 'workday', 'hours']),
    hours: DayHours.min(1).nullish(),
    name: z.string().trim().max(100).default(''),
    scope: Scope.nullish(),
  })
  .superRefine((o, c) => {
    if (o.kind === 'hours' && !o.hours)
      c.addIssue({ code: 'custom', path: ['hours'], message: 'validation.required' });
    if (o.kind === 'holiday' && o.hours)
      c.addIssue({ code: 'custom', path: ['hours'], message: 'validation.holiday_hours' });
  });
export type OverrideInput = z.infer<typeof OverrideIn>;

export const OverrideOut = z
  .object({
    id: z.string(),
    date: z.string(),
    kind: z.enum(['holiday', 'workday', 'hours']),
    hours: z.array(IntervalOut).nullable(),
    name: z.string(),
    scope: z.string().nullable(),
    version: z.number(),
  })
  .meta({ id: 'CalendarOverride' });

export const DayOut = z
  .object({
    date: z.string(),
    type: z.enum(['workday', 'weekend', 'holiday', 'adjusted_workday']),
    name: z.string().optional(),
    working: z.boolean(),
    hours: z.array(IntervalOut),
  })
  .meta({ id: 'CalendarDay' });

const scopeQuery = {
  scope: Scope.optional().describe('a shop or branch id; falls back to the org calendar'),
};

export const AddQuery = z
  .object({
    from: InstantStr,
    workingDays: z.coerce.number().int().min(-1000).max(1000).optional(),
    workingHours: z.coerce.number().min(0).max(20_000).optional(),
    ...scopeQuery,
  })
  .superRefine((q, c) => {
    if ((q.workingDays === undefined) === (q.workingHours === undefined))
      c.addIssue({ code: 'custom', path: ['workingDays'], message: 'validation.days_or_hours' });
  });

export const DaysQuery = z.object({ from: DateStr, to: DateStr, ...scopeQuery });
export const BetweenQuery = z.object({ from: InstantStr, to: InstantStr, ...scopeQuery });
export const SlotQuery = z.object({
  after: InstantStr.optional().describe('default: now'),
  customerId: z.string().optional(),
  notBefore: InstantStr.optional(),
  differentSlotFrom: InstantStr.optional().describe('the previous unreached attempt'),
  laterWorkingDay: z.enum(['true', 'false']).optional(),
  ...scopeQuery,
});
export const OverridesQuery = z.object({ from: DateStr.optional(), to: DateStr.optional(), ...scopeQuery });
