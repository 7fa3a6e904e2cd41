import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../api/client';
import { fetchAll, type Paged, usePagedList } from '../../api/paging';
import { DEFAULT_LOCALE, isLocale } from '../../i18n';

/** A name in a definition: one string, or one per language. */
export type I18nText = string | Partial<Record<'zh-CN' | 'en' | 'es', string>>;

export interface Duration {
  workingHours?: number;
  workingDays?: number;
  minutes?: number;
  hours?: number;
  days?: number;
}
export interface Trigger {
  enter?: string[];
  exit?: string[];
  event?: string;
}
export interface DefAction {
  type: string;
  title?: I18nText;
  transition?: string;
  process?: string;
  [k: string]: unknown;
}
export interface DefState {
  key: string;
  name: I18nText;
  final?: boolean;
}
export interface DefTransition {
  key: string;
  name: I18nText;
  from: '*' | string[];
  to: string;
  roles?: string[];
  requiredFields?: string[];
  guard?: unknown;
  approval?: { steps: Array<{ role: string; when?: unknown; name?: I18nText }> };
}
export interface DefSla {
  key: string;
  name: I18nText;
  start: Trigger;
  stop: Trigger;
  pause?: Trigger;
  target: Duration;
  warnAtPercent?: number;
  onWarn?: DefAction[];
  onBreach?: DefAction[];
}
export interface DefAutomation {
  key: string;
  on: Trigger;
  delay?: Duration;
  when?: unknown;
  actions: DefAction[];
}
export interface DefField {
  key: string;
  type: 'text' | 'number' | 'date' | 'boolean';
  label?: I18nText;
}
/** The JSON a process definition is (see src/modules/processes/definition.schema.ts). */
export interface ProcessDefinition {
  key: string;
  name: I18nText;
  description?: I18nText;
  recordType: string;
  initial: string;
  states: DefState[];
  fields?: DefField[];
  transitions: DefTransition[];
  slas?: DefSla[];
  automations?: DefAutomation[];
}

export interface ProcessSummary {
  id: string;
  key: string;
  recordType: string;
  builtin: boolean;
  currentVersion: number | null;
  draft: ProcessDefinition;
  version: number;
  updatedAt: string;
}
export interface ProcessVersion {
  number: number;
  publishedAt: string;
  publishedBy: string | null;
  definition: ProcessDefinition;
}
export interface ProcessDetail extends ProcessSummary {
  versions: ProcessVersion[];
}

export type ClockStatus = 'running' | 'paused' | 'met' | 'breached_running' | 'breached';
export interface Clock {
  id: string;
  key: string;
  status: ClockStatus;
  startedAt: string;
  dueAt: string | null;
  warnAt: string | null;
  pausedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
}
export interface Approval {
  id: string;
  instanceId: string;
  transition: string;
  step: number;
  approverRole: string;
  status: string;
  comment: string | null;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy?: string | null;
}
export interface PendingApproval extends Approval {
  recordType: string;
  recordId: string;
  state: string;
}
export interface HistoryEntry {
  transition: string | null;
  from: string | null;
  to: string;
  actorId: string | null;
  comment: string | null;
  at: string;
}
export interface AvailableTransition {
  key: string;
  name: I18nText;
  to: string;
  requiredFields: string[];
  needsApproval: boolean;
}
export interface InstanceRow {
  id: string;
  recordType: string;
  recordId: string;
  state: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  data: Record<string, unknown>;
  pendingTransition: string | null;
  startedAt: string;
  completedAt: string | null;
  version: number;
}
export interface InstanceView extends InstanceRow {
  definitionKey: string;
  versionNumber: number;
  states: DefState[];
  available: AvailableTransition[];
  clocks: Clock[];
  approvals: Approval[];
  history: HistoryEntry[];
  pendingApproval?: unknown;
}

export interface ValidationResult {
  ok: boolean;
  fields?: Record<string, string>;
}

export const processKeys = {
  all: ['processes'] as const,
  definitions: ['processes', 'definitions'] as const,
  definition: (key: string) => ['processes', 'definitions', key] as const,
  instances: (recordType: string, recordId: string) =>
    ['processes', 'instances', recordType, recordId] as const,
  instance: (id: string) => ['processes', 'instance', id] as const,
  approvals: ['processes', 'approvals'] as const,
};

const enc = encodeURIComponent;

export const listDefinitions = () => fetchAll<ProcessSummary>('/processes');
export async function getDefinition(key: string) {
  const r = await request<ProcessDetail>(`/processes/${enc(key)}`);
  return { detail: r.data, etag: r.etag };
}
export const createDefinition = (def: unknown) => api.post<ProcessSummary>('/processes', def);
export async function saveDraft(key: string, etag: string | null, def: unknown) {
  const r = await request<ProcessSummary>(`/processes/${enc(key)}/draft`, {
    method: 'PUT',
    body: def,
    headers: etag ? { 'If-Match': etag } : {},
  });
  return { summary: r.data, etag: r.etag };
}
export async function publishDefinition(key: string, etag: string | null) {
  const r = await request<ProcessSummary>(`/processes/${enc(key)}/publish`, {
    method: 'POST',
    body: {},
    headers: etag ? { 'If-Match': etag } : {},
  });
  return { summary: r.data, etag: r.etag };
}
export const validateDefinition = (def: unknown, signal?: AbortSignal) =>
  request<ValidationResult>('/processes/validate', { method: 'POST', body: def, signal }).then((r) => r.data);

export const listInstances = (recordType: string, recordId: string) =>
  fetchAll<InstanceRow>('/process-instances', { recordType, recordId });
export const getInstance = (id: string) => api.get<InstanceView>(`/process-instances/${enc(id)}`);
export const startInstance = (definitionKey: string, recordType: string, recordId: string) =>
  api.post<InstanceView>('/process-instances', { definitionKey, recordType, recordId });
export const takeTransition = (
  id: string,
  version: number,
  body: { transition: string; fields?: Record<string, unknown>; comment?: string },
) =>
  api.post<InstanceView>(`/process-instances/${enc(id)}/transitions`, body, {
    headers: { 'If-Match': `"${version}"` },
  });

export const decideApproval = (id: string, decision: 'approve' | 'reject', comment?: string) =>
  api.post<InstanceView>(`/approvals/${enc(id)}/decision`, { decision, comment });

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
    queryFn: () => api.get<Paged<PendingApproval>>('/approvals'),
    select: (d) => ({ count: d.items.length, more: d.nextCursor !== null }),
    refetchInterval: 60_000,
    staleTime: 10_000,
  });
}

/** Pending approvals for my role, oldest first, a page at a time. */
export function useApprovals() {
  return usePagedList<PendingApproval>([...processKeys.approvals, 'inbox'], '/approvals');
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
