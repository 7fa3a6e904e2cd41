/** Shapes of the Kept REST API (base /api/v1), as the web app uses them. */

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: string;
  roleKey: string;
  roleName: string;
  permissions: string[];
  teamIds: string[];
}
export interface SessionOrg {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
}
export interface Session {
  user: SessionUser;
  org: SessionOrg;
  csrfToken: string;
}

export type CustomerKind = 'person' | 'company';
export type Gender = 'male' | 'female' | 'other';

export interface Customer {
  id: string;
  kind: CustomerKind;
  name: string;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  personInCharge: string | null;
  contactPerson: string | null;
  position: string | null;
  gender: Gender | null;
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
  status: string;
  mergedIntoId: string | null;
  piiMasked: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}
export interface Items<T> {
  items: T[];
}

export interface DuplicateCandidate {
  id: string;
  name: string;
  mobile: string | null;
  matchedOn: Array<'mobile' | 'email' | 'name'>;
}

export interface TimelineItem {
  id: string;
  type: 'activity' | 'event';
  kind: string;
  subject: string | null;
  body: string | null;
  occurredAt: string;
  actor: { id: string; name: string } | null;
}

export interface Contact {
  id: string;
  customerId: string;
  name: string;
  position: string | null;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  gender: Gender | null;
  birthday: string | null;
  isPrimary: boolean;
  notes: string | null;
  piiMasked: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type LocalizedText = Partial<Record<'zh-CN' | 'en' | 'es', string>>;
export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select';
export interface CustomField {
  id: string;
  entity: string;
  key: string;
  label: LocalizedText;
  type: CustomFieldType;
  options: Array<{ value: string; label: LocalizedText }>;
  required: boolean;
  position: number;
}

export interface ImportUpload {
  id: string;
  fileName: string;
  status: string;
  columns: string[];
  sampleRows: string[][];
  suggestedMapping: Record<string, string | null>;
  totalRows: number;
}
export interface ImportStatus {
  id: string;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  createdRows: number;
  updatedRows: number;
  errorRows: number;
  message: string | null;
}

export interface AssignResult {
  assigned: number;
  assignments: Array<{ customerId: string; ownerId: string; ownerName: string }>;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  teamIds: string[];
  skills: string[];
  status: 'active' | 'disabled';
  locale: string;
  version: number;
  createdAt: string;
}
export interface Team {
  id: string;
  name: string;
  supervisorId: string | null;
  memberIds: string[];
  version: number;
}
export interface Role {
  id: string;
  key: string;
  name: string;
  description: string | null;
  permissions: string[];
  builtin: boolean;
  version: number;
}
export interface Permission {
  key: string;
  group: string;
}

export interface Task {
  id: string;
  kind: string;
  title: string;
  description: string | null;
  assigneeId: string | null;
  dueAt: string | null;
  priority: string | null;
  urgent: boolean;
  important: boolean;
  status: 'open' | 'done' | string;
  outcome: string | null;
  relatedType: string | null;
  relatedId: string | null;
  version: number;
}
