import { iso } from '../../platform/http/schemas.ts';
import type { CustomerRow } from './customers.repo.ts';
import { maskPhone } from './normalize.ts';

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
  piiMasked: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The API view of a customer. Phone numbers are masked unless the caller may read personal data. */
export function presentCustomer(
  r: CustomerRow,
  opts: { masked: boolean; owners?: Map<string, string> },
): CustomerView {
  const ownerName = r.owner_id ? opts.owners?.get(r.owner_id) : undefined;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    mobile: opts.masked ? maskPhone(r.mobile) : r.mobile,
    email: r.email,
    phone: opts.masked ? maskPhone(r.phone) : r.phone,
    address: r.address,
    personInCharge: r.person_in_charge,
    contactPerson: r.contact_person,
    position: r.position,
    gender: r.gender,
    birthday: r.birthday,
    age: r.age,
    bestContactTime: r.best_contact_time,
    hobbies: r.hobbies,
    familyNotes: r.family_notes,
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
    piiMasked: opts.masked,
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
