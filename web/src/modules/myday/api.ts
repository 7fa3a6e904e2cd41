import { useQuery } from '@tanstack/react-query';
import { client, unwrap } from '../../api/client';
import type { BodyOf, QueryOf, ResponseOf, Schema } from '../../api/types';

export type MyDayItem = Schema<'MyDayItem'>;
export type MyDay = Schema<'MyDay'>;
export type Counts = MyDay['counts'];
export type TeamDay = ResponseOf<'/api/v1/my-day/team', 'get'>;

export type QuadrantKey = keyof MyDay['quadrants'];
export const QUADRANTS: QuadrantKey[] = [
  'urgentImportant',
  'notUrgentImportant',
  'urgentNotImportant',
  'notUrgentNotImportant',
];

/** The sections of My day; each comes as a first page, `nextCursors[section]` continues it. */
export type Section = NonNullable<QueryOf<'/api/v1/my-day', 'get'>['section']>;

export const myDayKeys = {
  all: ['my-day'] as const,
  mine: (date?: string) => ['my-day', 'mine', date ?? 'today'] as const,
  team: (teamId?: string, date?: string) => ['my-day', 'team', teamId ?? 'first', date ?? 'today'] as const,
};

export function useMyDay(date?: string) {
  return useQuery({
    queryKey: myDayKeys.mine(date),
    queryFn: async () => {
      const day = await unwrap(client.GET('/api/v1/my-day', { params: { query: { date } } }));
      // Without `section` the answer is the whole day; a page is what `section` asks for (fetchSection).
      if (!('counts' in day)) throw new Error('GET /my-day answered a section page');
      return day;
    },
  });
}

export function useTeamDay(enabled: boolean, teamId?: string, date?: string) {
  return useQuery({
    queryKey: myDayKeys.team(teamId, date),
    queryFn: () => unwrap(client.GET('/api/v1/my-day/team', { params: { query: { teamId, date } } })),
    enabled,
  });
}

/** The next page of one section of a day (mine, or a team member's). */
export async function fetchSection(section: Section, cursor: string, date?: string, userId?: string) {
  const page = await unwrap(
    client.GET('/api/v1/my-day', { params: { query: { section, cursor, date, userId } } }),
  );
  if (!('items' in page)) throw new Error('GET /my-day?section answered a whole day');
  return page;
}

export const completeTask = (id: string, outcome: string) =>
  unwrap(client.PATCH('/api/v1/tasks/{id}', { params: { path: { id } }, body: { status: 'done', outcome } }));

export const keepPromise = (id: string, note: string) =>
  unwrap(client.PATCH('/api/v1/promises/{id}', { params: { path: { id } }, body: { status: 'kept', note } }));

export type NewTaskInput = BodyOf<'/api/v1/tasks', 'post'>;
export const createTask = (body: NewTaskInput) => unwrap(client.POST('/api/v1/tasks', { body }));

export type NewPromiseInput = BodyOf<'/api/v1/promises', 'post'>;
export const createPromise = (body: NewPromiseInput) => unwrap(client.POST('/api/v1/promises', { body }));
