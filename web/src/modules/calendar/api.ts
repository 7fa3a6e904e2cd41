import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, ifMatch, unwrap, withEtag } from '../../api/client';
import { fetchAll } from '../../api/paging';
import type { BodyOf, Schema } from '../../api/types';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type CalendarSettings = Schema<'CalendarSettings'>;
export type WeekHours = CalendarSettings['workingHours'];
export type Interval = WeekHours[Weekday][number];
export type SettingsInput = BodyOf<'/api/v1/calendar/settings', 'put'>;

export type CalendarOverride = Schema<'CalendarOverride'>;
export type OverrideKind = CalendarOverride['kind'];
export type OverrideInput = BodyOf<'/api/v1/calendar/overrides', 'post'>;

export type CalendarDay = Schema<'CalendarDay'>;
export type DayType = CalendarDay['type'];

const SETTINGS_KEY = ['calendar', 'settings'] as const;
const OVERRIDES_KEY = ['calendar', 'overrides'] as const;

export function useCalendarSettings() {
  return useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: async () => {
      const r = await withEtag(client.GET('/api/v1/calendar/settings'));
      return { settings: r.data, etag: r.etag };
    },
  });
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: SettingsInput; etag: string | null }) => {
      const r = await withEtag(client.PUT('/api/v1/calendar/settings', { body, headers: ifMatch(etag) }));
      return { settings: r.data, etag: r.etag };
    },
    onSuccess: (data) => {
      qc.setQueryData(SETTINGS_KEY, data);
      void qc.invalidateQueries({ queryKey: ['calendar', 'days'] });
    },
  });
}

export function useOverrides() {
  return useQuery({
    queryKey: OVERRIDES_KEY,
    queryFn: async () =>
      (await fetchAll((page) => client.GET('/api/v1/calendar/overrides', { params: { query: page } }))).items,
  });
}

export function useCalendarDays(from: string, to: string) {
  return useQuery({
    queryKey: ['calendar', 'days', from, to],
    queryFn: async () =>
      (await unwrap(client.GET('/api/v1/calendar/days', { params: { query: { from, to } } }))).items,
  });
}

function useInvalidateCalendarData() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: OVERRIDES_KEY });
    void qc.invalidateQueries({ queryKey: ['calendar', 'days'] });
  };
}

export function useCreateOverride() {
  const invalidate = useInvalidateCalendarData();
  return useMutation({
    mutationFn: (body: OverrideInput) => unwrap(client.POST('/api/v1/calendar/overrides', { body })),
    onSuccess: invalidate,
  });
}

export function useDeleteOverride() {
  const invalidate = useInvalidateCalendarData();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(client.DELETE('/api/v1/calendar/overrides/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** "09:00-12:00, 13:00-18:00" → intervals, or null when it does not parse. */
export function parseIntervals(text: string): Interval[] | null {
  const parts = text
    .split(/[,，;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Interval[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m) return null;
    out.push([m[1].padStart(5, '0'), m[2].padStart(5, '0')]);
  }
  return out;
}

export function formatIntervals(list: Interval[] | null | undefined): string {
  return (list ?? []).map(([s, e]) => `${s}–${e}`).join(', ');
}
