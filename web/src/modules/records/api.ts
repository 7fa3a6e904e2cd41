import { useQuery } from '@tanstack/react-query';
import { client, unwrap } from '../../api/client';
import type { Schema } from '../../api/types';

/** Any record by type and id, through the server's record registry. */
export type RecordRef = Schema<'RecordRef'>;
/** A record with its open tasks and promises (the first few; `more…` says when others wait). */
export type RecordWork = Schema<'RecordWork'>;
/** A domain event type of the catalog, described in the caller's language. */
export type EventType = Schema<'EventType'>;

export const recordKeys = {
  record: (type: string, id: string) => ['records', type, id] as const,
  work: (type: string, id: string) => ['records', type, id, 'work'] as const,
  eventTypes: ['event-types'] as const,
};

export const getRecord = (type: string, id: string) =>
  unwrap(client.GET('/api/v1/records/{type}/{id}', { params: { path: { type, id } } }));

export function useRecordWork(type: string, id: string) {
  return useQuery({
    queryKey: recordKeys.work(type, id),
    queryFn: () => unwrap(client.GET('/api/v1/records/{type}/{id}/work', { params: { path: { type, id } } })),
  });
}

/** The server's catalog of domain event types (webhook events, process triggers). */
export function useEventTypes() {
  return useQuery({
    queryKey: recordKeys.eventTypes,
    queryFn: () => unwrap(client.GET('/api/v1/event-types')),
    select: (d) => d.items,
    staleTime: 300_000,
  });
}
