import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import { AppError, assertId, type FieldError, fieldError, notFound } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import { type ContactRow, contactsRepo as repo } from './contacts.repo.ts';
import { activeDefs, validateCustom } from './custom-fields.ts';
import { authorize, type MaskableField, maskedFields } from './customers.policy.ts';
import type { CustomersCore } from './customers.service.ts';
import { throwIfErrors } from './customers.service.ts';
import { maskField } from './masking.ts';
import { birthdayErrorKey, normalizeEmail, normalizeMobile, normalizePhone } from './normalize.ts';

export interface ContactInput {
  customerId?: string;
  name?: string;
  position?: string | null;
  mobile?: string | null;
  email?: string | null;
  phone?: string | null;
  gender?: 'male' | 'female' | 'other' | null;
  birthday?: string | null;
  isPrimary?: boolean;
  notes?: string | null;
  custom?: Record<string, unknown>;
}

export type { ContactRow } from './contacts.repo.ts';

const CONTACT_MASKABLE: readonly MaskableField[] = ['mobile', 'phone', 'email', 'birthday'];

/** A contact as the caller sees it: its mobile, phone, email and birthday follow the customer field policy. */
export function presentContact(c: ContactRow, policy: ReadonlySet<MaskableField>) {
  const masked = CONTACT_MASKABLE.filter((f) => policy.has(f));
  const shown = (field: MaskableField, value: string | null) =>
    masked.includes(field) ? maskField(field, value) : value;
  return {
    id: c.id,
    customerId: c.customer_id,
    name: c.name,
    position: c.position,
    mobile: shown('mobile', c.mobile),
    email: shown('email', c.email),
    phone: shown('phone', c.phone),
    gender: c.gender,
    birthday: shown('birthday', c.birthday),
    isPrimary: c.is_primary,
    notes: c.notes,
    custom: c.custom,
    piiMasked: masked.length > 0,
    maskedFields: masked,
    version: c.version,
    createdAt: iso(c.created_at)!,
    updatedAt: iso(c.updated_at)!,
  };
}

function prepare(
  input: ContactInput,
  defs: Awaited<ReturnType<typeof activeDefs>>,
  existing?: ContactRow,
  today?: string,
) {
  const errors: Record<string, FieldError> = {};
  const v: Record<string, unknown> = {};
  if (input.name !== undefined) {
    if (!input.name.trim()) errors.name = { key: 'validation.required' };
    else v.name = input.name.trim();
  } else if (!existing) errors.name = { key: 'validation.required' };
  const normalizers = {
    mobile: [normalizeMobile, 'validation.mobile'],
    email: [normalizeEmail, 'validation.email'],
    phone: [normalizePhone, 'validation.phone'],
  } as const;
  for (const [field, [fn, key]] of Object.entries(normalizers)) {
    const raw = input[field as keyof typeof normalizers];
    if (raw === undefined) continue;
    if (raw === null || !String(raw).trim()) v[field] = null;
    else {
      const n = fn(String(raw));
      if (n) v[field] = n;
      else errors[field] = { key };
    }
  }
  if (input.birthday !== undefined) {
    const bad = input.birthday ? birthdayErrorKey(input.birthday, today) : null;
    if (bad) errors.birthday = { key: bad };
    else v.birthday = input.birthday || null;
  }
  for (const f of ['position', 'notes', 'gender'] as const)
    if (input[f] !== undefined) v[f] = input[f] || null;
  if (input.isPrimary !== undefined) v.is_primary = input.isPrimary;
  if (input.custom !== undefined || !existing) {
    const r = validateCustom(defs, input.custom, { partial: !!existing, existing: existing?.custom });
    Object.assign(errors, r.errors);
    v.custom = JSON.stringify(r.value);
  }
  return { values: v, errors };
}

/** Contacts: the people under a company customer. Access follows the company's visibility. */
export function makeContactsService(db: Db, core: CustomersCore) {
  async function visibleContact(q: Queryable, ctx: Ctx, id: string) {
    const c = await repo.activeById(q, ctx.orgId, assertId(id));
    if (!c) throw notFound();
    await core.visible(q, ctx, c.customer_id, { anyStatus: true });
    return c;
  }

  /** One primary contact per company: the others lose the flag, each change audited. */
  async function clearOtherPrimaries(tx: Tx, ctx: Ctx, customerId: string, keepId: string) {
    const rows = await repo.clearOtherPrimaries(tx, ctx.orgId, customerId, keepId);
    for (const after of rows) {
      await recordAudit(tx, ctx, {
        action: 'contact.update',
        entityType: 'contact',
        entityId: after.id,
        before: { ...after, is_primary: true },
        after,
      });
    }
  }

  return {
    /** The customer an active contact belongs to, or null (for other modules checking ids they are given). */
    async customerOf(q: Queryable, orgId: string, id: string): Promise<string | null> {
      return (await repo.activeById(q, orgId, id))?.customer_id ?? null;
    },

    /** A company's contacts: the primary first, then by creation. */
    async list(ctx: Ctx, customerId: string, page: PageRequest) {
      authorize(ctx, 'customer.view');
      const customer = await core.visible(db, ctx, customerId, { anyStatus: true });
      const rows = await repo.activePage(db, ctx.orgId, customer.id, page);
      return { ...rows, items: rows.items.map((r) => presentContact(r, maskedFields(ctx))) };
    },

    async get(ctx: Ctx, id: string) {
      authorize(ctx, 'customer.view');
      return presentContact(await visibleContact(db, ctx, id), maskedFields(ctx));
    },

    async create(ctx: Ctx, input: ContactInput & { customerId: string }) {
      authorize(ctx, 'contact.create');
      return db.transaction(async (tx) => {
        const customer = await core.visible(tx, ctx, input.customerId).catch(() => {
          throw fieldError('customerId', 'errors.not_found');
        });
        if (customer.kind !== 'company') throw fieldError('customerId', 'validation.contact_company');
        const today = await core.birthdayToday(tx, ctx, input.birthday);
        const { values, errors } = prepare(
          input,
          await activeDefs(tx, ctx.orgId, 'contact'),
          undefined,
          today,
        );
        throwIfErrors(errors);
        const row = await repo.insert(tx, ctx.orgId, randomUUID(), customer.id, values);
        if (row.is_primary) await clearOtherPrimaries(tx, ctx, customer.id, row.id);
        await recordAudit(tx, ctx, {
          action: 'contact.create',
          entityType: 'contact',
          entityId: row.id,
          after: row,
          meta: { customerId: customer.id },
        });
        await emit(tx, ctx, {
          type: 'contact.created',
          record: { type: 'customer', id: customer.id },
          data: { contact: eventView(row), customerId: customer.id },
        });
        return presentContact(row, maskedFields(ctx));
      });
    },

    async update(ctx: Ctx, id: string, input: ContactInput, ifMatch?: number) {
      authorize(ctx, 'contact.update');
      return db.transaction(async (tx) => {
        const before = await visibleContact(tx, ctx, id);
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        const { customerId: _ignored, ...rest } = input;
        const today = await core.birthdayToday(tx, ctx, rest.birthday);
        const { values, errors } = prepare(rest, await activeDefs(tx, ctx.orgId, 'contact'), before, today);
        throwIfErrors(errors);
        const after = await repo.update(tx, ctx.orgId, before.id, values);
        if (after.is_primary && !before.is_primary)
          await clearOtherPrimaries(tx, ctx, after.customer_id, after.id);
        await recordAudit(tx, ctx, {
          action: 'contact.update',
          entityType: 'contact',
          entityId: before.id,
          before,
          after,
        });
        await emit(tx, ctx, {
          type: 'contact.updated',
          record: { type: 'customer', id: after.customer_id },
          data: { contact: eventView(after), customerId: after.customer_id },
        });
        return presentContact(after, maskedFields(ctx));
      });
    },

    async remove(ctx: Ctx, id: string) {
      authorize(ctx, 'contact.delete');
      await db.transaction(async (tx) => {
        const before = await visibleContact(tx, ctx, id);
        const after = await repo.markDeleted(tx, ctx.orgId, before.id);
        await recordAudit(tx, ctx, {
          action: 'contact.delete',
          entityType: 'contact',
          entityId: before.id,
          before,
          after,
        });
        await emit(tx, ctx, {
          type: 'contact.deleted',
          record: { type: 'customer', id: before.customer_id },
          data: { contact: eventView(after), customerId: before.customer_id },
        });
      });
    },
  };
}

export type ContactsService = ReturnType<typeof makeContactsService>;
