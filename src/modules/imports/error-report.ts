import type { Writable } from 'node:stream';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { hasKey, type Locale, t } from '../../platform/i18n/i18n.ts';
import { activeDefs } from '../customers/index.ts';
import { tableWriter } from './file-formats.ts';
import type { ImportRow } from './imports.repo.ts';
import { importsRepo as repo } from './imports.repo.ts';

/**
 * The per-row error report of an import, as CSV in the reader's language: row number (as in Excel), the
 * column and field, the message, then the row's original cells — fix the cells, delete the first four
 * columns and the file imports again.
 */
export async function writeErrorReport(db: Db, ctx: Ctx, imp: ImportRow, out: Writable): Promise<number> {
  const locale: Locale = ctx.locale;
  const defs = await activeDefs(db, ctx.orgId, 'customer');
  const customLabels = new Map(
    defs.map((d) => [`custom.${d.key}`, d.label[locale] ?? d.label['zh-CN'] ?? d.label.en ?? d.key]),
  );
  const columnOf = new Map<string, string>();
  for (const [col, field] of Object.entries(imp.mapping)) if (field) columnOf.set(field, col);
  const fieldLabel = (field: string) => {
    if (customLabels.has(field)) return customLabels.get(field)!;
    if (field.startsWith('mapping') || field === 'row') return '';
    return hasKey(`export.headers.${field}`) ? t(locale, `export.headers.${field}`) : field;
  };

  const writer = tableWriter('csv', out);
  await writer.row([
    t(locale, 'imports.report.row'),
    t(locale, 'imports.report.column'),
    t(locale, 'imports.report.field'),
    t(locale, 'imports.report.message'),
    ...imp.columns,
  ]);
  let after = 0;
  let lines = 0;
  for (;;) {
    const page = await repo.errorsPage(db, ctx.orgId, imp.id, after, 1000);
    if (!page.length) break;
    for (const r of page) {
      for (const e of r.errors) {
        const field = e.field.startsWith('custom.') ? e.field : e.field.split('.')[0];
        await writer.row([
          r.row_number,
          columnOf.get(field) ?? '',
          fieldLabel(field),
          t(locale, e.key, e.vars),
          ...r.cells,
        ]);
        lines++;
      }
      after = r.row_number;
    }
  }
  await writer.end();
  return lines;
}
