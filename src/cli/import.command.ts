import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DEFAULT_BATCH_SIZE, type ImportView } from '../modules/imports/index.ts';
import { AppError } from '../platform/http/errors.ts';
import { t } from '../platform/i18n/i18n.ts';
import { actAs, print, resolveOrg, withKept } from './shared.ts';

/** An AppError as the words a person reads (field messages included), in the actor's language. */
function describe(err: unknown, locale: Parameters<typeof t>[0]): string {
  if (!(err instanceof AppError)) return err instanceof Error ? err.message : String(err);
  const fields = Object.entries(err.fields ?? {}).map(([k, f]) => `  ${k}: ${t(locale, f.key, f.vars)}`);
  return [t(locale, `errors.${err.code}`, err.vars), ...fields].join('\n');
}

/** "skipped title rows 1–2: 'XX门店会员登记表'" in the actor's language. */
export function titleRowsNote(
  locale: Parameters<typeof t>[0],
  titles: Array<{ row: number; text: string }>,
): string {
  const first = titles[0].row;
  const last = titles[titles.length - 1].row;
  const rows = first === last ? String(first) : `${first}–${last}`;
  const text = titles
    .map((l) => l.text)
    .filter(Boolean)
    .map((x) => `'${x}'`)
    .join(', ');
  return t(locale, 'imports.outcome.title_rows', { rows, text });
}

function readMapping(file: string): Record<string, string | null> {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const m = raw && typeof raw === 'object' && 'mapping' in raw ? (raw as { mapping: unknown }).mapping : raw;
  if (!m || typeof m !== 'object' || Array.isArray(m))
    throw new Error(`${file}: expected a JSON object {"column": "field" | null}`);
  return m as Record<string, string | null>;
}

export function registerImportCommand(program: Command) {
  const imp = program.command('import').description('import records from a file');
  imp
    .command('customers <file>')
    .description(
      'import customers from a CSV (UTF-8 or GBK) or XLSX file; re-running the same file creates nothing new',
    )
    .option('--org <slug>', 'organization (needed when there are several)')
    .option(
      '--as <email>',
      "act as this user (their permissions and scope apply; default: the org's first admin)",
    )
    .option(
      '--mapping <file.json>',
      'column mapping {"column": "field" | null}; default: the suggested mapping',
    )
    .option('--batch-size <n>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
    .action(async (file: string, o) => {
      const data = fs.readFileSync(file);
      const batchSize = Number(o.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new Error('--batch-size must be 1…10000');
      const failed = await withKept(async (k) => {
        const org = await resolveOrg(k, o.org);
        const ctx = await actAs(k, org.org_id, o.as);
        const svc = k.services.imports.imports;
        try {
          const up = await svc.upload(ctx, path.basename(file), data);
          const mapping = o.mapping ? readMapping(o.mapping) : up.suggestedMapping;
          print(`${up.fileName}: ${up.totalRows} rows, ${up.columns.length} columns (import ${up.id})`);
          const titles = up.skippedLines.filter((l) => l.reason === 'title');
          if (titles.length) print(titleRowsNote(ctx.locale, titles));
          for (const c of up.columns) print(`  ${c} → ${mapping[c] ?? '(ignored)'}`);
          const tty = !!process.stdout.isTTY;
          const bar = tty
            ? new cliProgress.SingleBar(
                {
                  format:
                    '  {bar} {value}/{total} rows | created {created} updated {updated} errors {errors}',
                },
                cliProgress.Presets.shades_classic,
              )
            : null;
          bar?.start(up.totalRows, 0, { created: 0, updated: 0, errors: 0 });
          const onProgress = (p: ImportView) => {
            const counts = { created: p.createdRows, updated: p.updatedRows, errors: p.errorRows };
            if (bar) bar.update(p.processedRows, counts);
            else
              print(
                `progress ${p.processedRows}/${p.totalRows} created=${p.createdRows} updated=${p.updatedRows} errors=${p.errorRows}`,
              );
          };
          const done = await svc.run(ctx, up.id, mapping, { batchSize, onProgress });
          bar?.stop();
          print(
            `${done.status}: created ${done.createdRows}, updated ${done.updatedRows} (${done.unchangedRows} already up to date), errors ${done.errorRows}, ` +
              `skipped ${done.skippedRows}, duplicates ${done.duplicateRows}, warnings ${done.warningRows}`,
          );
          if (done.errorRows + done.duplicateRows + done.warningRows > 0) {
            const report = await svc.errorReport(ctx, up.id);
            const target = path.join(
              path.dirname(path.resolve(file)),
              `${path.basename(file).replace(/\.[^.]+$/, '')}.errors-${up.id.slice(0, 8)}.csv`,
            );
            const out = fs.createWriteStream(target);
            await report.write(out);
            print(`error report: ${target}`);
          }
          if (done.status !== 'done') {
            print(done.message ? t(ctx.locale, done.message) : 'import failed');
            return true;
          }
          return false;
        } catch (err) {
          if (err instanceof AppError) {
            print(describe(err, ctx.locale));
            return true;
          }
          throw err;
        }
      });
      if (failed) process.exitCode = 1;
    });
}
