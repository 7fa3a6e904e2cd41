import { api, apiUrl, request } from '../../../api/client';
import type { ImportStatus, ImportUpload } from '../../../api/types';

export async function uploadImport(file: File): Promise<ImportUpload> {
  const r = await request<ImportUpload>('/imports', {
    method: 'POST',
    query: { filename: file.name },
    raw: await file.arrayBuffer(),
  });
  return r.data;
}

export function startImport(id: string, mapping: Record<string, string | null>) {
  return api.post<ImportStatus>(`/imports/${encodeURIComponent(id)}/start`, { mapping });
}

export function getImport(id: string) {
  return api.get<ImportStatus>(`/imports/${encodeURIComponent(id)}`);
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
  'sourceChannel',
  'memberLevel',
  'tags',
  'externalRef',
] as const;
