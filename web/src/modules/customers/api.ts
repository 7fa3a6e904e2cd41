import { useQuery } from '@tanstack/react-query';
import { api, apiUrl, getApiLocale, request } from '../../api/client';
import { fetchAll, type Paged, usePagedList } from '../../api/paging';
import type { AssignResult, Contact, Customer, CustomField, TimelineItem } from '../../api/types';

export interface CustomerFilter {
  q?: string;
  kind?: string;
  memberLevel?: string;
  sourceChannel?: string;
  ownerId?: string;
  tag?: string;
}
export type CustomerSort = 'createdAt' | '-createdAt' | 'name' | '-name' | 'updatedAt' | '-updatedAt';

export interface CustomerWithEtag {
  customer: Customer;
  etag: string | null;
}

export const customerKeys = {
  list: (f: CustomerFilter, sort: CustomerSort, cursor: string | null) =>
    ['customers', 'list', f, sort, cursor] as const,
  one: (id: string) => ['customers', 'one', id] as const,
  timeline: (id: string) => ['customers', 'timeline', id] as const,
  contacts: (id: string) => ['customers', 'contacts', id] as const,
};

export function listCustomers(f: CustomerFilter, sort: CustomerSort, cursor: string | null, limit = 20) {
  return api.get<Paged<Customer>>('/customers', { ...f, sort, cursor, limit });
}

export async function getCustomer(id: string): Promise<CustomerWithEtag> {
  const r = await request<Customer>(`/customers/${encodeURIComponent(id)}`);
  return { customer: r.data, etag: r.etag };
}

export type CustomerInput = Partial<
  Omit<Customer, 'id' | 'owner' | 'piiMasked' | 'version' | 'createdAt' | 'updatedAt'>
>;

export function createCustomer(body: CustomerInput & { allowDuplicate?: boolean }) {
  return api.post<Customer>('/customers', body);
}

export async function updateCustomer(
  id: string,
  etag: string | null,
  body: CustomerInput,
): Promise<CustomerWithEtag> {
  const r = await request<Customer>(`/customers/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body,
    headers: etag ? { 'If-Match': etag } : {},
  });
  return { customer: r.data, etag: r.etag };
}

export function revealCustomer(id: string, reason: string) {
  return api.post<{ mobile: string | null; phone: string | null; email: string | null }>(
    `/customers/${encodeURIComponent(id)}/reveal`,
    { reason },
  );
}

/** The customer's timeline, newest first, a page at a time. */
export function useTimeline(id: string) {
  return usePagedList<TimelineItem>(
    customerKeys.timeline(id),
    `/customers/${encodeURIComponent(id)}/timeline`,
  );
}

export interface ActivityInput {
  kind: string;
  subject?: string;
  body: string;
  occurredAt?: string;
}
export function addActivity(id: string, body: ActivityInput) {
  return api.post<unknown>(`/customers/${encodeURIComponent(id)}/activities`, body);
}

export function listContacts(customerId: string) {
  return fetchAll<Contact>('/contacts', { customerId });
}
export function createContact(body: Partial<Contact> & { customerId: string }) {
  return api.post<Contact>('/contacts', body);
}

export interface AssignInput {
  customerIds?: string[];
  filter?: CustomerFilter;
  strategy: 'agent' | 'least_loaded';
  agentId?: string;
  skill?: string;
}
export function assignCustomers(body: AssignInput) {
  return api.post<AssignResult>('/customers/assign', body);
}

export function exportUrl(format: 'csv' | 'xlsx', f: CustomerFilter, sort: CustomerSort): string {
  return apiUrl('/customers/export', { format, ...f, sort, lang: getApiLocale() });
}

export function useCustomFields(entity = 'customer') {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: () => fetchAll<CustomField>('/custom-fields', { entity }),
    select: (d) => [...d.items].sort((a, b) => a.position - b.position),
    staleTime: 60_000,
  });
}
