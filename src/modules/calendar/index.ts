// The calendar module's public door: working days and hours in an org's time zone, Chinese public holidays and
// adjusted working days (调休), per-org overrides, customer quiet hours. All due dates and SLA clocks use it.
import { registerAuditedTable } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/db.ts';
import { type CalendarDeps, makeCalendarCore } from './calendar.service.ts';
import { makeCalendarAdmin } from './calendar-admin.service.ts';
import { type HolidayDeps, makeHolidayAdmin } from './holidays.service.ts';

registerAuditedTable({ entityType: 'calendar_settings', table: 'calendar_settings' });
registerAuditedTable({ entityType: 'calendar_override', table: 'calendar_overrides' });
registerAuditedTable({ entityType: 'calendar_official_year', table: 'calendar_official_years' });

export function makeCalendarService(db: Db, deps: CalendarDeps & { holidays?: HolidayDeps }) {
  const core = makeCalendarCore(db, deps);
  return { ...core, ...makeCalendarAdmin(db, core), ...makeHolidayAdmin(db, core, deps.holidays) };
}

export type CalendarService = ReturnType<typeof makeCalendarService>;
export { BusinessCalendar } from './business-calendar.ts';
export { calendarRoutes } from './calendar.routes.ts';
export { QuietHoursIn } from './calendar.schemas.ts';
export type { CalendarDeps } from './calendar.service.ts';
export { localIso, parseInstant } from './calendar.service.ts';
export {
  type CalendarData,
  type DayInfo,
  type DayType,
  DEFAULT_QUIET_HOURS,
  DEFAULT_WORKING_HOURS,
  defaultCalendarData,
  type Interval,
  type WeekHours,
} from './calendar.types.ts';
export { type ContactSlotOptions, nextContactSlot } from './contact-slot.ts';
export type { HolidayDeps, HolidayStatus } from './holidays.service.ts';
export { coverage as officialDataLastYear } from './official-days.ts';
