import { apiUrl, client, rawBody, unwrap } from '../../../api/client';

/** Sends the file as the raw body; the answer has its columns, sample rows and a suggested mapping. */
export function uploadImport(file: File) {
  return unwrap(
    client.POST('/api/v1/imports', { params: { query: { filename: file.name } }, body: file, ...rawBody }),
  );
}

export function startImport(id: string, mapping: Record<string, string | null>) {
  return unwrap(client.POST('/api/v1/imports/{id}/start', { params: { path: { id } }, body: { mapping } }));
}

export function getImport(id: string) {
  return unwrap(client.GET('/api/v1/imports/{id}', { params: { path: { id } } }));
}

export function errorReportUrl(id: string) {
  return apiUrl(`/imports/${encodeURIComponent(id)}/errors.csv`);
}

/** Standard customer fields a file column may be mapped to. */
export const IMPORTABLE_FIELDS = [
  'name',
  'kind',
  'mobile',
  'email',
  'phone',
  'address',
  'personInCharge',
  'contactPerson',
  'position',
  'gender',
  'birthday',
  'age',
  'bestContactTime',
  'hobbies',
  'familyNotes',
  'notes',
  'sourceChannel',
  'memberLevel',
  'tags',
  'externalRef',
] as const;
