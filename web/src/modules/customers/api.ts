import { useQuery } from '@tanstack/react-query';
import { apiUrl, client, getApiLocale, ifMatch, unwrap, withEtag } from '../../api/client';
import { fetchAll, usePagedList } from '../../api/paging';
import type { BodyOf, Customer, QueryOf } from '../../api/types';

type ListQuery = QueryOf<'/api/v1/customers', 'get'>;
/** The list filters the page keeps in its URL (the export takes the same). */
export type CustomerFilter = Pick<
  ListQuery,
  'q' | 'kind' | 'memberLevel' | 'sourceChannel' | 'ownerId' | 'tag'
>;
export type CustomerSort = NonNullable<ListQuery['sort']>;

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
  return unwrap(
    client.GET('/api/v1/customers', {
      params: { query: { ...f, sort, cursor: cursor ?? undefined, limit } },
    }),
  );
}

const byId = (id: string) => ({ params: { path: { id } } });

export async function getCustomer(id: string): Promise<CustomerWithEtag> {
  const r = await withEtag(client.GET('/api/v1/customers/{id}', byId(id)));
  return { customer: r.data, etag: r.etag };
}

export type CustomerCreateInput = BodyOf<'/api/v1/customers', 'post'>;
export type CustomerInput = BodyOf<'/api/v1/customers/{id}', 'patch'>;

export function createCustomer(body: CustomerCreateInput) {
  return unwrap(client.POST('/api/v1/customers', { body }));
}

export async function updateCustomer(
  id: string,
  etag: string | null,
  body: CustomerInput,
): Promise<CustomerWithEtag> {
  const r = await withEtag(
    client.PATCH('/api/v1/customers/{id}', { ...byId(id), body, headers: ifMatch(etag) }),
  );
  return { customer: r.data, etag: r.etag };
}

export function revealCustomer(id: string, reason: string, fields?: Customer['maskedFields']) {
  return unwrap(
    client.POST('/api/v1/customers/{id}/reveal', {
      ...byId(id),
      body: { reason, ...(fields?.length ? { fields } : {}) },
    }),
  );
}

/** The customer's timeline, newest first, a page at a time. */
export function useTimeline(id: string) {
  return usePagedList(customerKeys.timeline(id), (page, signal) =>
    client.GET('/api/v1/customers/{id}/timeline', { params: { path: { id }, query: page }, signal }),
  );
}

export type ActivityInput = BodyOf<'/api/v1/customers/{id}/activities', 'post'>;
export function addActivity(id: string, body: ActivityInput) {
  return unwrap(client.POST('/api/v1/customers/{id}/activities', { ...byId(id), body }));
}

export function listContacts(customerId: string) {
  return fetchAll((page) => client.GET('/api/v1/contacts', { params: { query: { customerId, ...page } } }));
}
export type ContactInput = BodyOf<'/api/v1/contacts', 'post'>;
export function createContact(body: ContactInput) {
  return unwrap(client.POST('/api/v1/contacts', { body }));
}

export type AssignInput = BodyOf<'/api/v1/customers/assign', 'post'>;
export function assignCustomers(body: AssignInput) {
  return unwrap(client.POST('/api/v1/customers/assign', { body }));
}

export function exportUrl(format: 'csv' | 'xlsx', f: CustomerFilter, sort: CustomerSort): string {
  return apiUrl('/customers/export', { format, ...f, sort, lang: getApiLocale() });
}

export function useCustomFields(entity: 'customer' | 'contact' = 'customer') {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: () =>
      fetchAll((page) => client.GET('/api/v1/custom-fields', { params: { query: { entity, ...page } } })),
    select: (d) => [...d.items].sort((a, b) => a.position - b.position),
    staleTime: 60_000,
  });
}

export type MergeField = NonNullable<BodyOf<'/api/v1/customers/{id}/merge', 'post'>['take']>[number];
/** Merges `sourceId` into `targetId`, the survivor taking the `take` fields' values from the source. */
export function mergeCustomers(targetId: string, sourceId: string, take: MergeField[]) {
  return unwrap(client.POST('/api/v1/customers/{id}/merge', { ...byId(targetId), body: { sourceId, take } }));
}
