import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { client, ifMatch, unwrap } from '../../api/client';
import type { BodyOf, Schema } from '../../api/types';

export type TaskType = Schema<'TaskType'>;
export type TaskPatch = BodyOf<'/api/v1/tasks/{id}', 'patch'>;

/** The org's task types (general, call back, …) with their outcome codes. */
export function useTaskTypes(enabled = true) {
  return useQuery({
    queryKey: ['task-types'],
    queryFn: async () => (await unwrap(client.GET('/api/v1/task-types'))).items,
    staleTime: 60_000,
    enabled,
  });
}

/** A label of a type or outcome in the reader's language. */
export function useLabel() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useCallback(
    (label: Record<string, string> | undefined, fallback: string) => label?.[lang] ?? label?.en ?? fallback,
    [lang],
  );
}

export const updateTask = (id: string, body: TaskPatch, version?: number) =>
  unwrap(
    client.PATCH('/api/v1/tasks/{id}', {
      params: { path: { id } },
      body,
      headers: version === undefined ? undefined : ifMatch(`"${version}"`),
    }),
  );
