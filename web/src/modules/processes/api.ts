import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { client, ifMatch, unwrap, withEtag } from '../../api/client';
import { fetchAll, usePagedList } from '../../api/paging';
import type { BodyOf, Schema } from '../../api/types';
import { DEFAULT_LOCALE, isLocale } from '../../i18n';

export type I18nText = Schema<'I18nText'>;
export type Duration = Schema<'Duration'>;
export type DefAction = Schema<'ProcessAction'>;
/** The JSON a process definition is (src/modules/processes/definition.schema.ts), as the server stores it. */
export type ProcessDefinition = Schema<'ProcessDefinition'>;
export type DefState = Schema<'ProcessState'>;
export type DefTransition = Schema<'ProcessTransition'>;
export type DefSla = ProcessDefinition['slas'][number];
export type DefAutomation = ProcessDefinition['automations'][number];
export type DefField = NonNullable<ProcessDefinition['fields']>[number];
export type Trigger = DefSla['start'];

export type ProcessSummary = Schema<'Process'>;
export type ProcessVersion = Schema<'ProcessVersion'>;
export type ProcessDetail = Schema<'ProcessDetail'>;

export type Clock = Schema<'SlaClock'>;
export type ClockStatus = Clock['status'];
export type Approval = Schema<'Approval'>;
export type PendingApproval = Schema<'PendingApproval'>;
export type HistoryEntry = Schema<'ProcessHistoryEntry'>;
export type AvailableTransition = Schema<'AvailableTransition'>;
export type InstanceRow = Schema<'ProcessInstanceSummary'>;
export type InstanceView = Schema<'ProcessInstance'>;
export type ValidationResult = Schema<'ProcessValidation'>;

export const processKeys = {
  all: ['processes'] as const,
  definitions: ['processes', 'definitions'] as const,
  definition: (key: string) => ['processes', 'definitions', key] as const,
  instances: (recordType: string, recordId: string) =>
    ['processes', 'instances', recordType, recordId] as const,
  instance: (id: string) => ['processes', 'instance', id] as const,
  approvals: ['processes', 'approvals'] as const,
};

/** A definition as the editor holds it: any JSON, which the server validates (422 names each wrong path). */
type DefinitionJson = unknown;
const json = (def: DefinitionJson) => def as Record<string, unknown>;
const byKey = (key: string) => ({ params: { path: { key } } });
const byId = (id: string) => ({ params: { path: { id } } });

export const listDefinitions = () =>
  fetchAll((page) => client.GET('/api/v1/processes', { params: { query: page } }));
export async function getDefinition(key: string) {
  const r = await withEtag(client.GET('/api/v1/processes/{key}', byKey(key)));
  return { detail: r.data, etag: r.etag };
}
export const createDefinition = (def: DefinitionJson) =>
  unwrap(client.POST('/api/v1/processes', { body: json(def) }));
export async function saveDraft(key: string, etag: string | null, def: DefinitionJson) {
  const r = await withEtag(
    client.PUT('/api/v1/processes/{key}/draft', { ...byKey(key), body: json(def), headers: ifMatch(etag) }),
  );
  return { summary: r.data, etag: r.etag };
}
export async function publishDefinition(key: string, etag: string | null) {
  const r = await withEtag(
    client.POST('/api/v1/processes/{key}/publish', { ...byKey(key), headers: ifMatch(etag) }),
  );
  return { summary: r.data, etag: r.etag };
}
export const validateDefinition = (def: DefinitionJson, signal?: AbortSignal) =>
  unwrap(client.POST('/api/v1/processes/validate', { body: json(def), signal }));

export const listInstances = (recordType: string, recordId: string) =>
  fetchAll((page) =>
    client.GET('/api/v1/process-instances', { params: { query: { recordType, recordId, ...page } } }),
  );
export const getInstance = (id: string) => unwrap(client.GET('/api/v1/process-instances/{id}', byId(id)));
export const startInstance = (definitionKey: string, recordType: string, recordId: string) =>
  unwrap(client.POST('/api/v1/process-instances', { body: { definitionKey, recordType, recordId } }));
export const takeTransition = (
  id: string,
  version: number,
  body: BodyOf<'/api/v1/process-instances/{id}/transitions', 'post'>,
) =>
  unwrap(
    client.POST('/api/v1/process-instances/{id}/transitions', {
      ...byId(id),
      body,
      headers: ifMatch(`"${version}"`),
    }),
  );

export const decideApproval = (id: string, decision: 'approve' | 'reject', comment?: string) =>
  unwrap(client.POST('/api/v1/approvals/{id}/decision', { ...byId(id), body: { decision, comment } }));

export function useDefinitions(enabled = true) {
  return useQuery({
    queryKey: processKeys.definitions,
    queryFn: listDefinitions,
    select: (d) => d.items,
    staleTime: 30_000,
    enabled,
  });
}

/** How many approvals wait for my role (the first page: "50+" when more follow); polled for the menu badge. */
export function useApprovalsCount() {
  return useQuery({
    queryKey: [...processKeys.approvals, 'count'],
    queryFn: () => unwrap(client.GET('/api/v1/approvals')),
    select: (d) => ({ count: d.items.length, more: d.nextCursor !== null }),
    refetchInterval: 60_000,
    staleTime: 10_000,
  });
}

/** Pending approvals for my role, oldest first, a page at a time. */
export function useApprovals() {
  return usePagedList([...processKeys.approvals, 'inbox'], (page, signal) =>
    client.GET('/api/v1/approvals', { params: { query: page }, signal }),
  );
}

/** Picks a definition text in the user's language, falling back to zh-CN, then any. */
export function textOf(v: I18nText | undefined, locale: string, fallback = ''): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return v;
  const l = isLocale(locale) ? locale : DEFAULT_LOCALE;
  return v[l] || v[DEFAULT_LOCALE] || v.en || v.es || fallback;
}

export function useText(): (v: I18nText | undefined, fallback?: string) => string {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useCallback((v, fallback = '') => textOf(v, lang, fallback), [lang]);
}

/** JSON with sorted keys, to compare two definitions regardless of key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : val,
  );
}

/** The published definition an instance runs on (falls back to the draft). */
export function versionDefinition(detail: ProcessDetail | undefined, number: number | null | undefined) {
  if (!detail) return undefined;
  return detail.versions.find((v) => v.number === number)?.definition ?? detail.draft;
}
