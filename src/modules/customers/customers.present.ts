import { iso } from '../../platform/http/schemas.ts';
import type { MaskableField } from './customers.policy.ts';
import type { CustomerRow } from './customers.repo.ts';
import { maskField } from './masking.ts';

export interface CustomerView {
  id: string;
  kind: 'person' | 'company';
  name: string;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  personInCharge: string | null;
  contactPerson: string | null;
  position: string | null;
  gender: 'male' | 'female' | 'other' | null;
  birthday: string | null;
  age: number | null;
  bestContactTime: string | null;
  hobbies: string | null;
  familyNotes: string | null;
  notes: string | null;
  sourceChannel: string | null;
  memberLevel: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  externalRef: string | null;
  ownerId: string | null;
  owner: { id: string; name: string } | null;
  teamId: string | null;
  status: 'active' | 'merged' | 'deleted';
  mergedIntoId: string | null;
  quietHours: Array<[string, string]> | null;
  idNumber: string | null;
  piiMasked: boolean;
  maskedFields: MaskableField[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The API view of a customer. Each personal field in `masked` (the caller's field policy, maskedFields() in
 * customers.policy.ts) is shown masked; the others in full. The age goes with the birthday: a reader who sees the
 * birthday masked (year hidden) gets no age either.
 */
export function presentCustomer(
  r: CustomerRow,
  opts: { masked: ReadonlySet<MaskableField>; owners?: Map<string, string> },
): CustomerView {
  const ownerName = r.owner_id ? opts.owners?.get(r.owner_id) : undefined;
  const shown = (field: MaskableField, value: string | null) =>
    opts.masked.has(field) ? maskField(field, value) : value;
  const maskedFields = [...opts.masked];
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    mobile: shown('mobile', r.mobile),
    email: shown('email', r.email),
    phone: shown('phone', r.phone),
    address: shown('address', r.address),
    personInCharge: r.person_in_charge,
    contactPerson: r.contact_person,
    position: r.position,
    gender: r.gender,
    birthday: shown('birthday', r.birthday),
    // The age tells the birth year roughly: hidden whenever the birthday is masked.
    age: opts.masked.has('birthday') ? null : r.age,
    bestContactTime: r.best_contact_time,
    hobbies: r.hobbies,
    familyNotes: r.family_notes,
    notes: r.notes ?? null,
    sourceChannel: r.source_channel,
    memberLevel: r.member_level,
    tags: r.tags,
    custom: r.custom,
    externalRef: r.external_ref,
    ownerId: r.owner_id,
    owner: r.owner_id ? { id: r.owner_id, name: ownerName ?? '' } : null,
    teamId: r.team_id,
    status: r.status,
    mergedIntoId: r.merged_into_id,
    quietHours: r.quiet_hours ?? null,
    idNumber: shown('idNumber', r.id_number ?? null),
    piiMasked: maskedFields.length > 0,
    maskedFields,
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
