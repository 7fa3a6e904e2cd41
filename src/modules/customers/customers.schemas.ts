import { z } from 'zod';
import { freeJson } from '../../platform/http/input-guard.ts';
import { errorBodyWith, pageQuery } from '../../platform/http/schemas.ts';
import { QuietHoursIn } from '../calendar/index.ts';
import { MASKABLE_FIELDS } from './customers.policy.ts';

const text = (max = 500) => z.string().max(max, { error: 'validation.text_too_long' });
const nullableText = (max = 500) => text(max).nullable().optional();

export const MaskableFieldEnum = z.enum(MASKABLE_FIELDS);

/** Body of POST /customers; PATCH takes the same fields, all optional. Normalization happens in the service. */
export const CustomerFields = z.object({
  kind: z.enum(['person', 'company']).optional(),
  name: text(200),
  mobile: nullableText(40),
  email: nullableText(254),
  phone: nullableText(40),
  address: nullableText(500),
  personInCharge: nullableText(100),
  contactPerson: nullableText(100),
  position: nullableText(100),
  gender: z.enum(['male', 'female', 'other']).nullable().optional(),
  birthday: nullableText(10),
  age: z.number().int().min(0).max(150).nullable().optional(),
  bestContactTime: nullableText(200),
  hobbies: nullableText(500),
  familyNotes: nullableText(2000),
  notes: nullableText(2000).describe('general notes (备注), up to 2,000 characters; not searched'),
  sourceChannel: nullableText(100),
  memberLevel: nullableText(100),
  tags: z.array(text(50)).max(50).optional(),
  custom: freeJson().optional(),
  externalRef: nullableText(100),
  idNumber: nullableText(40).describe('mainland resident ID number (18 characters, check digit verified)'),
  ownerId: z.string().nullable().optional(),
  quietHours: QuietHoursIn.nullable()
    .optional()
    .describe(
      'the customer\'s own quiet hours [["12:00","14:00"],["21:00","09:00"]]; null = the org default',
    ),
});

export const CustomerCreate = CustomerFields.extend({
  allowDuplicate: z.boolean().optional().describe('Create even when duplicates are found'),
});
export const CustomerPatch = CustomerFields.partial();

export const CustomerOut = z
  .object({
    id: z.string(),
    kind: z.enum(['person', 'company']),
    name: z.string(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    personInCharge: z.string().nullable(),
    contactPerson: z.string().nullable(),
    position: z.string().nullable(),
    gender: z.enum(['male', 'female', 'other']).nullable(),
    birthday: z.string().nullable(),
    age: z.number().nullable(),
    bestContactTime: z.string().nullable(),
    hobbies: z.string().nullable(),
    familyNotes: z.string().nullable(),
    notes: z.string().nullable(),
    sourceChannel: z.string().nullable(),
    memberLevel: z.string().nullable(),
    tags: z.array(z.string()),
    custom: z.record(z.string(), z.unknown()),
    externalRef: z.string().nullable(),
    ownerId: z.string().nullable(),
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    teamId: z.string().nullable(),
    status: z.enum(['active', 'merged', 'deleted']),
    mergedIntoId: z.string().nullable(),
    quietHours: z.array(z.tuple([z.string(), z.string()])).nullable(),
    idNumber: z.string().nullable(),
    piiMasked: z.boolean().describe('true when any personal field is masked for this caller'),
    maskedFields: z
      .array(MaskableFieldEnum)
      .describe('the personal fields shown masked to this caller (POST /customers/{id}/reveal shows them)'),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

/** A possible duplicate named in a 409 duplicate_customer answer (masked like the list for callers who may not see it). */
export const DuplicateCandidateOut = z
  .object({
    id: z
      .string()
      .nullable()
      .describe('null when the caller may not open the candidate: no id to link to or probe with'),
    name: z.string(),
    mobile: z.string().nullable(),
    matchedOn: z.array(z.enum(['mobile', 'email', 'name'])),
    visible: z.boolean().describe('false when the candidate is outside what the caller may open'),
  })
  .meta({ id: 'DuplicateCandidate' });

/** The error envelope of creating or editing a customer: a 409 duplicate_customer names the candidates. */
export const CustomerErrorOut = errorBodyWith('CustomerError', {
  candidates: z
    .array(DuplicateCandidateOut)
    .optional()
    .describe('with duplicate_customer: the customers that look the same'),
});

export const ListFilterQuery = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Search: words (Chinese too) of name, contacts, address, tags, email; a fragment of the name; exact external ref; ' +
        'the full mobile or exact email (for a caller who sees that field masked: audited when it matches, and limited per user ' +
        'and 10 minutes, 429 past the limit); the last 4+ digits of a mobile only for callers who see mobiles in full',
    ),
  kind: z.enum(['person', 'company']).optional(),
  memberLevel: z.string().max(100).optional(),
  sourceChannel: z.string().max(100).optional(),
  ownerId: z.string().max(40).optional().describe("a user id, or 'none' for unassigned"),
  teamId: z.string().max(40).optional(),
  tag: z.string().max(50).optional(),
});

export const ListQuery = ListFilterQuery.extend({
  sort: z
    .enum(['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'name', '-name'])
    .optional()
    .describe('default -createdAt (newest first)'),
  ...pageQuery.shape,
});

export const ContactFields = z.object({
  customerId: z.string(),
  name: text(100),
  position: nullableText(100),
  mobile: nullableText(40),
  email: nullableText(254),
  phone: nullableText(40),
  gender: z.enum(['male', 'female', 'other']).nullable().optional(),
  birthday: nullableText(10),
  isPrimary: z.boolean().optional(),
  notes: nullableText(2000),
  custom: freeJson().optional(),
});

export const ContactOut = z
  .object({
    id: z.string(),
    customerId: z.string(),
    name: z.string(),
    position: z.string().nullable(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    gender: z.string().nullable(),
    birthday: z.string().nullable(),
    isPrimary: z.boolean(),
    notes: z.string().nullable(),
    custom: z.record(z.string(), z.unknown()),
    piiMasked: z.boolean(),
    maskedFields: z.array(MaskableFieldEnum),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact' });

export const ActivityIn = z.object({
  kind: z.enum(['call', 'message', 'email', 'visit', 'meeting', 'note']),
  direction: z.enum(['inbound', 'outbound']).nullable().optional(),
  subject: nullableText(200),
  body: text(10000),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  contactId: z.string().nullable().optional(),
});

export const TimelineItemOut = z
  .object({
    id: z.string(),
    type: z.enum(['activity', 'event']),
    kind: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    direction: z.string().nullable(),
    occurredAt: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }).nullable(),
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'TimelineItem' });

const Labels = z.object({
  'zh-CN': z.string().max(100).optional(),
  en: z.string().max(100).optional(),
  es: z.string().max(100).optional(),
});
export const CustomFieldIn = z.object({
  entity: z.enum(['customer', 'contact']).default('customer'),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: Labels,
  type: z.enum(['text', 'number', 'date', 'select', 'multi_select']),
  options: z
    .array(z.object({ value: z.string().min(1).max(100), label: Labels }))
    .max(200)
    .optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10000).optional(),
});
export const CustomFieldOut = z
  .object({
    id: z.string(),
    entity: z.enum(['customer', 'contact']),
    key: z.string(),
    label: z.record(z.string(), z.string()),
    type: z.enum(['text', 'number', 'date', 'select', 'multi_select']),
    options: z.array(z.object({ value: z.string(), label: z.record(z.string(), z.string()) })),
    required: z.boolean(),
    position: z.number(),
    active: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'CustomField' });

export const AssignIn = z.object({
  customerIds: z.array(z.string()).min(1).max(5000).optional(),
  filter: ListFilterQuery.optional(),
  strategy: z.enum(['agent', 'least_loaded']),
  agentId: z.string().optional(),
  skill: z.string().max(50).optional(),
});
