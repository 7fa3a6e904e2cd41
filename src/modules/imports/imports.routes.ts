import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { AppError } from '../../platform/http/errors.ts';
import { errors, idParams, rawResponse } from '../../platform/http/schemas.ts';
import { hasKey, type Locale, t } from '../../platform/i18n/i18n.ts';
import { ListFilterQuery } from '../customers/index.ts';
import type { ExportService } from './export.service.ts';
import type { ImportsService, ImportView } from './imports.service.ts';

export const UPLOAD_LIMIT = 50 * 1024 * 1024;
const FILE_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
];

const ImportOut = z
  .object({
    id: z.string(),
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']),
    status: z.enum(['uploaded', 'running', 'done', 'failed']),
    columns: z.array(z.string()),
    mapping: z.record(z.string(), z.string().nullable()),
    totalRows: z.number(),
    processedRows: z.number(),
    createdRows: z.number(),
    updatedRows: z.number().describe('rows that matched an existing customer (unchangedRows included)'),
    unchangedRows: z.number().describe('matched rows whose values were already up to date: nothing written'),
    errorRows: z
      .number()
      .describe(
        'rows not imported: an invalid key value (name, mobile, external ref), kind, owner or custom field',
      ),
    skippedRows: z
      .number()
      .describe(
        'lines left out at upload: title rows above the header, totals lines (合计/总计/小计), blank lines',
      ),
    duplicateRows: z
      .number()
      .describe(
        'rows repeating an earlier line of the file (same external ref or mobile): reported, not imported',
      ),
    warningRows: z
      .number()
      .describe(
        'imported rows that left out an invalid optional value (e.g. a birthday), named in the report',
      ),
    headerRow: z.number().describe("the header's row number in the file (after any title rows)"),
    skippedLines: z
      .array(
        z.object({
          row: z.number().describe("the file's own row (Excel) or line (CSV) number"),
          reason: z.enum(['title', 'totals', 'blank']),
          text: z.string(),
        }),
      )
      .describe('the title and totals lines left out (the first 100)'),
    message: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Import' });

const UploadOut = ImportOut.extend({
  sampleRows: z.array(z.array(z.string())),
  suggestedMapping: z.record(z.string(), z.string().nullable()),
}).meta({ id: 'ImportUpload' });

const localized = <T extends ImportView>(v: T, locale: Locale): T => ({
  ...v,
  message: v.message && hasKey(v.message) ? t(locale, v.message) : v.message,
});

/**
 * Customer import (upload → start → poll → error report) and export. Registered as an encapsulated plugin so
 * that the raw-file body parsers apply to these routes only.
 */
export async function importsRoutes(app: App, svc: { imports: ImportsService; exports: ExportService }) {
  app.addHook('onClose', async () => svc.imports.shutdown());
  await app.register(async (scoped) => {
    const r = scoped as unknown as App;
    r.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    const tags = ['Imports'];

    r.post(
      '/api/v1/imports',
      {
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags,
          description:
            'Upload a CSV (UTF-8 or GBK) or XLSX file as the raw body (Content-Type: application/octet-stream). ' +
            'Answers the columns, sample rows and a suggested column → field mapping; nothing is imported yet. The header ' +
            'is the first row that looks like one: title rows above it, totals lines (合计/总计/小计) and blank lines are ' +
            'skipped (skippedLines, skippedRows).',
          querystring: z.object({ filename: z.string().trim().min(1).max(255) }),
          consumes: ['application/octet-stream'],
          // Documents the raw file; the handler checks it (a body that is not a file answers unsupported_file).
          body: z.any().meta({ type: 'string', format: 'binary' }),
          response: { 201: UploadOut, ...errors },
        },
      },
      async (req, reply) => {
        const body = req.body as unknown;
        if (!Buffer.isBuffer(body)) throw new AppError('unsupported_file');
        const out = await svc.imports.upload(ctxOf(req), req.query.filename, body);
        reply.status(201).header('location', `/api/v1/imports/${out.id}`);
        return localized(out, req.locale);
      },
    );

    r.post(
      '/api/v1/imports/:id/start',
      {
        schema: {
          tags,
          description:
            'Starts the import with a mapping {column: field | null}. Fields: kind, name, mobile, email, phone, address, ' +
            'personInCharge, contactPerson, position, gender, birthday, age, bestContactTime, hobbies, familyNotes, notes, ' +
            'sourceChannel, memberLevel, tags, externalRef, ownerEmail, custom.<key>. Runs in the background: poll GET.',
          params: idParams,
          body: z.object({
            mapping: z.record(z.string(), z.string().nullable()),
            batchSize: z.number().int().min(1).max(10000).optional(),
          }),
          response: { 202: ImportOut, ...errors },
        },
      },
      async (req, reply) => {
        const v = await svc.imports.start(ctxOf(req), req.params.id, req.body.mapping, {
          batchSize: req.body.batchSize,
        });
        reply.status(202);
        return localized(v, req.locale);
      },
    );

    r.get(
      '/api/v1/imports/:id',
      { schema: { tags, params: idParams, response: { 200: ImportOut, ...errors } } },
      async (req) => localized(await svc.imports.get(ctxOf(req), req.params.id), req.locale),
    );

    r.get(
      '/api/v1/imports/:id/errors.csv',
      {
        schema: {
          tags,
          description:
            "One line per row error, duplicate and warning (and skipped title/totals line), in the caller's language, with the original cells; rows are the file's own row/line numbers.",
          params: idParams,
          response: { 200: rawResponse('The error report (UTF-8 CSV)', { 'text/csv': 'text' }), ...errors },
        },
      },
      async (req, reply) => {
        const report = await svc.imports.errorReport(ctxOf(req), req.params.id);
        const out = new PassThrough();
        report.write(out).catch((err) => out.destroy(err));
        reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="import-errors-${report.importId.slice(0, 8)}.csv"`,
          );
        return reply.send(out);
      },
    );

    r.get(
      '/api/v1/customers/export',
      {
        schema: {
          tags: ['Customers'],
          description:
            'Exports the customers you see (same filters as the list) as CSV or XLSX. Phone columns only with ' +
            'customer.export.pii. Audited with the row count.',
          querystring: ListFilterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
          response: {
            200: rawResponse('The customers as a file download', {
              'text/csv': 'text',
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'binary',
            }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const { format, ...filter } = req.query;
        const job = await svc.exports.prepare(ctxOf(req), format, filter);
        const out = new PassThrough();
        job.run(out).catch((err) => out.destroy(err));
        reply
          .type(job.contentType)
          .header('content-disposition', `attachment; filename="${job.fileName}"`)
          .header('cache-control', 'no-store');
        return reply.send(out);
      },
    );
  });
}
