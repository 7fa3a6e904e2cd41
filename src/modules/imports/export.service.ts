import type { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import {
  type CustomerRow,
  type CustomersService,
  displayMobile,
  type ExportFilter,
  type MaskableField,
  maskedFields,
  maskField,
} from '../customers/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { type FileFormat, type OutCell, tableWriter } from './file-formats.ts';
import { authorize, exportsPii } from './imports.policy.ts';

/**
 * Customer export (CSV or XLSX): the actor's scope and the list filters apply; phone numbers are exported only
 * with customer.export.pii (otherwise the columns are left out, not masked), and without it email, address,
 * birthday and ID number are masked as the caller's field policy shows them (the age left empty with a masked
 * birthday); headers in the caller's language;
 * cells that a spreadsheet would run as formulas are defused; one `customer.export` audit event with the count.
 */

export interface ExportsDeps {
  customers: CustomersService;
  identity: IdentityService;
}

type Column = {
  key: string;
  header: string;
  value: (r: CustomerRow, owners: Map<string, { name: string; email: string }>) => OutCell;
};

const PHONE_COLUMNS = new Set(['mobile', 'phone']);
const FILTER_KEYS = ['q', 'kind', 'memberLevel', 'sourceChannel', 'ownerId', 'teamId', 'tag'] as const;

const text = (v: unknown): OutCell => (v === null || v === undefined ? null : String(v));

/** An instant as the org's wall-clock time ("2026-03-01 08:30:00"), the way people read their own exports. */
const localTime = (at: Date | string, zone: string) =>
  DateTime.fromJSDate(new Date(at), { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

function baseColumns(locale: Locale, zone: string): Column[] {
  const h = (k: string) => t(locale, `export.headers.${k}`);
  const col = (key: string, value: Column['value']): Column => ({ key, header: h(key), value });
  return [
    col('id', (r) => r.id),
    col('kind', (r) => t(locale, `export.kind.${r.kind}`)),
    col('name', (r) => r.name),
    col('mobile', (r) => displayMobile(r.mobile)),
    col('email', (r) => r.email),
    col('phone', (r) => r.phone),
    col('address', (r) => r.address),
    col('personInCharge', (r) => r.person_in_charge),
    col('contactPerson', (r) => r.contact_person),
    col('position', (r) => r.position),
    col('gender', (r) => (r.gender ? t(locale, `export.gender.${r.gender}`) : null)),
    col('birthday', (r) => r.birthday),
    col('age', (r) => r.age),
    col('bestContactTime', (r) => r.best_contact_time),
    col('hobbies', (r) => r.hobbies),
    col('familyNotes', (r) => r.family_notes),
    col('notes', (r) => r.notes ?? null),
    col('sourceChannel', (r) => r.source_channel),
    col('memberLevel', (r) => r.member_level),
    col('tags', (r) => r.tags.join(', ')),
    col('externalRef', (r) => r.external_ref),
    col('idNumber', (r) => r.id_number ?? null),
    col('owner', (r, o) => (r.owner_id ? (o.get(r.owner_id)?.name ?? null) : null)),
    col('ownerEmail', (r, o) => (r.owner_id ? (o.get(r.owner_id)?.email ?? null) : null)),
    col('createdAt', (r) => localTime(r.created_at, zone)),
  ];
}

export function makeExportService(db: Db, deps: ExportsDeps) {
  return {
    /**
     * Checks permission and builds the export; nothing is read until run() writes to a stream. Split in two so
     * that the HTTP layer answers 403 before it starts a download.
     */
    async prepare(ctx: Ctx, format: FileFormat, filter: ExportFilter) {
      authorize(ctx, 'export.customers');
      const pii = exportsPii(ctx);
      // Dates and times in the org's time zone, as everywhere else in Kept (not UTC, not the server's zone).
      const zone = (await deps.identity.org(ctx.orgId)).time_zone;
      const stamp = DateTime.now().setZone(zone).toFormat('yyyyMMdd');
      return {
        fileName: `customers-${stamp}.${format}`,
        contentType:
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        pii,
        /** Writes the file to out and records the audit event; resolves with the number of customers. */
        async run(out: Writable): Promise<{ rows: number }> {
          const defs = await deps.customers.exportPages.customFieldDefs(ctx);
          const columns = baseColumns(ctx.locale, zone).filter((c) => pii || !PHONE_COLUMNS.has(c.key));
          // Without customer.export.pii the other personal columns are exported as the caller sees them.
          const masked: ReadonlySet<string> = pii ? new Set() : maskedFields(ctx);
          for (const c of columns) {
            // The age reveals the masked birth year roughly: left empty whenever the birthday is masked.
            if (c.key === 'age' && masked.has('birthday')) c.value = () => null;
            if (!masked.has(c.key)) continue;
            const full = c.value;
            c.value = (r, o) => {
              const v = full(r, o);
              return v === null ? null : maskField(c.key as MaskableField, String(v));
            };
          }
          const pick = (l: Partial<Record<Locale, string>>, fallback: string) =>
            l[ctx.locale] ?? l['zh-CN'] ?? l.en ?? l.es ?? fallback;
          const builtInHeaders = new Set(columns.map((c) => c.header));
          for (const d of defs) {
            // A custom field named like a built-in column (a 备注 field made before customers had notes) is told
            // apart by its key: 备注 (note). Imports read it back as that custom field.
            const named = pick(d.label, d.key);
            const label = builtInHeaders.has(named) ? `${named} (${d.key})` : named;
            // A choice is exported as its label in the reader's language, not its stored value.
            const options = new Map(d.options.map((o) => [o.value, pick(o.label, o.value)]));
            const shown = (v: unknown) => (typeof v === 'string' ? (options.get(v) ?? v) : v);
            columns.push({
              key: `custom.${d.key}`,
              header: label,
              value: (r) => {
                const v = r.custom?.[d.key];
                return Array.isArray(v)
                  ? v.map(shown).join(', ')
                  : typeof v === 'number'
                    ? v
                    : text(shown(v));
              },
            });
          }
          const writer = tableWriter(format, out, t(ctx.locale, 'export.sheet'));
          await writer.row(columns.map((c) => c.header));
          let rows = 0;
          for await (const page of deps.customers.exportPages.pages(ctx, filter)) {
            const ownerIds = [...new Set(page.map((r) => r.owner_id).filter((x): x is string => !!x))];
            const owners = new Map(
              (await deps.identity.usersByIds(ctx.orgId, ownerIds)).map((u) => [
                u.id,
                { name: u.name, email: u.email },
              ]),
            );
            for (const r of page) await writer.row(columns.map((c) => c.value(r, owners)));
            rows += page.length;
          }
          // Audited before the file is finished: no complete export exists without its event.
          const filters = Object.fromEntries(
            FILTER_KEYS.filter((k) => filter[k] !== undefined && filter[k] !== '').map((k) => [k, filter[k]]),
          );
          await db.transaction((tx) =>
            recordAudit(tx, ctx, {
              action: 'customer.export',
              entityType: 'customer',
              entityId: null,
              meta: { format, rows, filters, pii },
            }),
          );
          await writer.end();
          return { rows };
        },
      };
    },
  };
}

export type ExportService = ReturnType<typeof makeExportService>;
