import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * A date-time picked in a DatePicker, read as the org's wall-clock time (not the browser's): 09:00 picked by a
 * user whose laptop runs on UTC is 09:00 in Asia/Shanghai when that is the org's time zone.
 */
export function orgInstant(picked: Dayjs, timeZone: string): string {
  return dayjs.tz(picked.format('YYYY-MM-DDTHH:mm:ss'), timeZone).toISOString();
}

/** An instant as a picker value that shows the org's wall-clock time (the inverse of orgInstant). */
export function orgPickerValue(iso: string | Date, timeZone: string): Dayjs {
  return dayjs(dayjs(iso).tz(timeZone).format('YYYY-MM-DDTHH:mm:ss'));
}
