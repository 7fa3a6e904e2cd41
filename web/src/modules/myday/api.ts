import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Paged } from '../../api/paging';
import type { Task } from '../../api/types';

export interface MyDayItem {
  type: 'task' | 'promise';
  id: string;
  title: string;
  description: string;
  assigneeId: string;
  dueAt: string | null;
  urgent: boolean;
  important: boolean;
  priority: string;
  kind: string;
  channel: string | null;
  relatedType: string | null;
  relatedId: string | null;
  customerId: string | null;
  toText: string | null;
  version: number;
}

export type QuadrantKey =
  | 'urgentImportant'
  | 'urgentNotImportant'
  | 'notUrgentImportant'
  | 'notUrgentNotImportant';
export const QUADRANTS: QuadrantKey[] = [
  'urgentImportant',
  'notUrgentImportant',
  'urgentNotImportant',
  'notUrgentNotImportant',
];

export interface Counts {
  overdue: number;
  dueToday: number;
  upcoming: number;
  promises: number;
}

/** The sections of My day; each comes as a first page, `nextCursors[section]` continues it. */
export type Section =
  | 'overdue'
  | 'dueToday'
  | 'upcoming'
  | QuadrantKey
  | 'promisesOverdue'
  | 'promisesDueToday';

export interface MyDay {
  date: string;
  timeZone: string;
  overdue: MyDayItem[];
  dueToday: MyDayItem[];
  upcoming: MyDayItem[];
  quadrants: Record<QuadrantKey, MyDayItem[]>;
  promises: { overdue: MyDayItem[]; dueToday: MyDayItem[] };
  counts: Counts;
  nextCursors: Record<Section, string | null>;
}

export interface TeamDay {
  date: string;
  timeZone: string;
  team: { id: string; name: string };
  members: Array<{
    userId: string;
    name: string;
    roleName: string;
    counts: Counts;
    overdue: MyDayItem[];
    overdueNextCursor: string | null;
  }>;
}

export const myDayKeys = {
  all: ['my-day'] as const,
  mine: (date?: string) => ['my-day', 'mine', date ?? 'today'] as const,
  team: (teamId?: string, date?: string) => ['my-day', 'team', teamId ?? 'first', date ?? 'today'] as const,
};

export function useMyDay(date?: string) {
  return useQuery({ queryKey: myDayKeys.mine(date), queryFn: () => api.get<MyDay>('/my-day', { date }) });
}

export function useTeamDay(enabled: boolean, teamId?: string, date?: string) {
  return useQuery({
    queryKey: myDayKeys.team(teamId, date),
    queryFn: () => api.get<TeamDay>('/my-day/team', { teamId, date }),
    enabled,
  });
}

/** The next page of one section of a day (mine, or a team member's). */
export const fetchSection = (section: Section, cursor: string, date?: string, userId?: string) =>
  api.get<Paged<MyDayItem>>('/my-day', { section, cursor, date, userId });

export const completeTask = (id: string, outcome: string) =>
  api.patch<Task>(`/tasks/${encodeURIComponent(id)}`, { status: 'done', outcome });

export const keepPromise = (id: string, note: string) =>
  api.patch<unknown>(`/promises/${encodeURIComponent(id)}`, { status: 'kept', note });

export interface NewTaskInput {
  title: string;
  description?: string;
  assigneeId?: string;
  dueAt?: string | null;
  priority?: string;
  urgent?: boolean;
  important?: boolean;
}
export const createTask = (body: NewTaskInput) => api.post<Task>('/tasks', body);

export interface NewPromiseInput {
  what: string;
  customerId?: string;
  toText?: string;
  dueAt: string;
}
export const createPromise = (body: NewPromiseInput) => api.post<unknown>('/promises', body);
