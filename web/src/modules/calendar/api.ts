import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client';
import { fetchAll } from '../../api/paging';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Interval = [string, string];
export type WeekHours = Record<Weekday, Interval[]>;

export interface CalendarSettings {
  timeZone: string;
  workingHours: WeekHours;
  scopedHours: Record<string, WeekHours>;
  quietHours: Interval[];
  coverage: number;
  version: number;
}
export type SettingsInput = Omit<CalendarSettings, 'coverage' | 'version'>;

export type OverrideKind = 'holiday' | 'workday' | 'hours';
export interface CalendarOverride {
  id: string;
  date: string;
  kind: OverrideKind;
  hours: Interval[] | null;
  name: string;
  scope: string | null;
}
export interface OverrideInput {
  date: string;
  kind: OverrideKind;
  hours?: Interval[] | null;
  name: string;
  scope?: string | null;
}

export type DayType = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';
export interface CalendarDay {
  date: string;
  type: DayType;
  name?: string;
  working: boolean;
  hours: Interval[];
}

const SETTINGS_KEY = ['calendar', 'settings'] as const;
const OVERRIDES_KEY = ['calendar', 'overrides'] as const;

export function useCalendarSettings() {
  return useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: async () => {
      const r = await request<CalendarSettings>('/calendar/settings');
      return { settings: r.data, etag: r.etag };
    },
  });
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: SettingsInput; etag: string | null }) => {
      const r = await request<CalendarSettings>('/calendar/settings', {
        method: 'PUT',
        body,
        headers: etag ? { 'If-Match': etag } : {},
      });
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
    queryFn: async () => (await fetchAll<CalendarOverride>('/calendar/overrides')).items,
  });
}

export function useCalendarDays(from: string, to: string) {
  return useQuery({
    queryKey: ['calendar', 'days', from, to],
    queryFn: async () => (await api.get<{ items: CalendarDay[] }>('/calendar/days', { from, to })).items,
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
    mutationFn: (body: OverrideInput) => api.post<CalendarOverride>('/calendar/overrides', body),
    onSuccess: invalidate,
  });
}

export function useDeleteOverride() {
  const invalidate = useInvalidateCalendarData();
  return useMutation({
    mutationFn: (id: string) => api.del(`/calendar/overrides/${encodeURIComponent(id)}`),
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
