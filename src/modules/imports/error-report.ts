import type { Writable } from 'node:stream';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { hasKey, type Locale, t } from '../../platform/i18n/i18n.ts';
import { activeDefs } from '../customers/index.ts';
import { tableWriter } from './file-formats.ts';
import type { ImportRow } from './imports.repo.ts';
import { importsRepo as repo } from './imports.repo.ts';

/**
 * The per-row report of an import, as CSV in the reader's language: row number (the file's own: the Excel row
 * or the CSV line), the column and field, the message, then the row's original cells — fix the cells, delete
 * the first four columns and the file imports again. Errors (row not imported), duplicates (row not imported,
 * names the earlier line) and warnings (row imported without the value) are listed in row order, with the
 * skipped title and totals lines among them.
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
  const skipped = imp.skipped_lines.filter((l) => l.reason !== 'blank').sort((a, b) => a.row - b.row);
  const skippedUpTo = async (row: number) => {
    while (skipped.length && skipped[0].row < row) {
      const l = skipped.shift()!;
      const what = t(locale, `imports.skipped.${l.reason}`);
      await writer.row([l.row, '', '', `${t(locale, 'imports.level.skipped')}: ${what}: ${l.text}`]);
      lines++;
    }
  };
  for (;;) {
    const page = await repo.errorsPage(db, ctx.orgId, imp.id, after, 1000);
    if (!page.length) break;
    for (const r of page) {
      await skippedUpTo(r.row_number);
      for (const e of r.errors) {
        const field = e.field.startsWith('custom.') ? e.field : e.field.split('.')[0];
        const vars =
          typeof e.vars?.field === 'string' ? { ...e.vars, field: fieldLabel(e.vars.field) } : e.vars;
        const message = t(locale, e.key, vars);
        const level = e.level ?? 'error';
        await writer.row([
          r.row_number,
          columnOf.get(field) ?? '',
          fieldLabel(field),
          level === 'error' ? message : `${t(locale, `imports.level.${level}`)}: ${message}`,
          ...r.cells,
        ]);
        lines++;
      }
      after = r.row_number;
    }
  }
  await skippedUpTo(Number.POSITIVE_INFINITY);
  await writer.end();
  return lines;
}
