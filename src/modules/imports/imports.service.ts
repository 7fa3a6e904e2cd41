import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { systemCtx } from '../../platform/context.ts';
import { type Db, type Tx, yieldToEventLoop } from '../../platform/db/db.ts';
import { emit } from '../../platform/events/events.ts';
import { AppError, assertId, type FieldError, notFound } from '../../platform/http/errors.ts';
import {
  activeDefs,
  type CustomersService,
  DeferredCreates,
  ImportMatcher,
  type ImportRowInput,
  type PreparedImportRow,
  prepareImportRow,
} from '../customers/index.ts';
import { actorOf, type IdentityService, type UserWithRole } from '../identity/index.ts';
import { DuplicateTracker } from './duplicates.ts';
import { writeErrorReport } from './error-report.ts';
import { detectFormat, inspectFile, readRows, type SheetRow } from './file-formats.ts';
import { authorize, type ImportsAction } from './imports.policy.ts';
import {
  type BatchCounts,
  type ImportRow,
  LEASE_SECONDS,
  type RowErrorEntry,
  importsRepo as repo,
  type StoredRowError,
} from './imports.repo.ts';
import { checkMapping, headerScorer, type Mapping, rowToInput, suggestMapping } from './mapping.ts';

/**
 * Customer import use cases: upload (inspect + suggest a mapping), start (check the mapping, run in the
 * background), run (the same, awaited: the CLI), progress and the error report (error-report.ts).
 * Rows are committed in batches (default 500): a batch's customers, their audit events, its row errors and
 * the import's counters share one transaction, so a crash loses at most the batch in flight, and re-running
 * the file is safe because rows upsert by external ref / mobile. A running import is a durable job: the process
 * running it holds a lease (renewed every batch and every LEASE/3 seconds); when it dies, `resumeInterrupted`
 * (the server at start and every minute) claims the import and carries on after the last committed batch.
 *
 * A row's outcome: created, updated (unchanged included), a duplicate of an earlier line of the file (not
 * written), or an error (not written). An invalid optional value (a birthday, an email) does not cost the row:
 * it is imported without that value, with a warning naming the line and field.
 */

export interface ImportsDeps {
  customers: CustomersService;
  identity: IdentityService;
}

export interface RunOptions {
  batchSize?: number;
  onProgress?: (p: ImportView) => void;
}

export const DEFAULT_BATCH_SIZE = 500;
const STALE_MS = 10 * 60_000;

export function presentImport(r: ImportRow, opts: { stale?: boolean } = {}) {
  const interrupted = opts.stale && r.status === 'running';
  return {
    id: r.id,
    fileName: r.file_name,
    format: r.file_format,
    status: interrupted ? ('failed' as const) : r.status,
    columns: r.columns,
    mapping: r.mapping,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    createdRows: r.created_rows,
    updatedRows: r.updated_rows,
    unchangedRows: r.unchanged_rows,
    errorRows: r.error_rows,
    skippedRows: r.skipped_rows,
    duplicateRows: r.duplicate_rows,
    warningRows: r.warning_rows,
    headerRow: r.header_row,
    skippedLines: r.skipped_lines.filter((l) => l.reason !== 'blank'),
    message: interrupted ? 'imports.message.interrupted' : r.message,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

export type ImportView = ReturnType<typeof presentImport>;

const toBuffer = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

export function makeImportsService(db: Db, deps: ImportsDeps) {
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  async function load(q: Db | Tx, ctx: Ctx, id: string, action: ImportsAction, forUpdate = false) {
    authorize(ctx, action);
    const row = await repo.byId(q, ctx.orgId, assertId(id), { forUpdate });
    if (!row) throw notFound();
    return row;
  }

  function view(r: ImportRow) {
    const stale =
      r.status === 'running' &&
      !running.has(r.id) &&
      Date.now() - new Date(r.updated_at).getTime() > STALE_MS;
    return presentImport(r, { stale });
  }

  /** Checks the mapping and moves the import to running (audited). */
  async function begin(ctx: Ctx, id: string, mapping: Mapping, batchSize: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new AppError('validation', { fields: { batchSize: { key: 'validation.number' } } });
    }
    return db.transaction(async (tx) => {
      const row = await load(tx, ctx, id, 'import.start', true);
      if (row.status !== 'uploaded') throw new AppError('import_not_ready');
      const defs = await activeDefs(tx, ctx.orgId, 'customer');
      const errors = checkMapping(
        mapping,
        row.columns,
        defs.map((d) => d.key),
      );
      if (Object.keys(errors).length) throw new AppError('validation', { fields: errors });
      const clean = Object.fromEntries(row.columns.map((c) => [c, mapping[c] || null]));
      await repo.markRunning(tx, ctx.orgId, row.id, clean, batchSize);
      await recordAudit(tx, ctx, {
        action: 'customer.import',
        entityType: 'import',
        entityId: row.id,
        meta: { fileName: row.file_name, format: row.file_format, totalRows: row.total_rows, mapping: clean },
      });
      return { ...row, mapping: clean, batch_size: batchSize, status: 'running' as const };
    });
  }

  /** Runs a started (or resumed) import to the end (or to a stop request), batch by batch. */
  async function execute(ctx: Ctx, imp: ImportRow, onProgress?: (p: ImportView) => void) {
    const data = await repo.fileData(db, ctx.orgId, imp.id);
    if (!data) throw new AppError('import_not_ready');
    const defs = await activeDefs(db, ctx.orgId, 'customer');
    const customTypes = new Map(defs.map((d) => [d.key, d.type as string]));
    const users = await deps.identity.directory(ctx);
    const usersByEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
    const creatorOwner = users.find((u) => u.id === ctx.actor.userId) ?? null;
    const already = imp.processed_rows; // a resumed import skips the rows it committed
    let seen = -1; // the header is not a data row
    let batch: SheetRow[] = [];
    const env: BatchEnv = {
      defs,
      customTypes,
      usersByEmail,
      creatorOwner,
      duplicates: new DuplicateTracker(),
    };
    // Batches are pipelined: while one batch's transaction waits on the database, the next batch's rows are
    // read, mapped, validated and tokenized. Writes stay one batch at a time, in file order.
    let writing: Promise<void> | null = null;
    // The lease says this process is alive, also through a long batch.
    const heartbeat = setInterval(
      () => void repo.renewLease(db, ctx.orgId, imp.id).catch(() => undefined),
      (LEASE_SECONDS * 1000) / 3,
    );
    heartbeat.unref();

    const flush = async () => {
      const rows = batch;
      batch = [];
      const prepared = await prepareBatch(imp, rows, env);
      if (writing) await writing;
      writing = runBatch(ctx, imp, rows, env, prepared).then(async () => {
        if (onProgress) {
          const now = await repo.byId(db, ctx.orgId, imp.id);
          if (now) onProgress(view(now));
        }
      });
      // Settled only when awaited: a failed batch stops the import at the next flush or at the end.
      writing.catch(() => undefined);
    };

    try {
      const skippedBefore: SheetRow[] = [];
      for await (const r of readRows(toBuffer(data), imp.data_format ?? imp.file_format)) {
        seen++;
        if (seen === 0) continue;
        if (seen <= already) {
          // Committed before the interruption: read again only to know the lines later rows may repeat.
          skippedBefore.push(r);
          if (skippedBefore.length >= imp.batch_size) await prepareBatch(imp, skippedBefore.splice(0), env);
          continue;
        }
        if (skippedBefore.length) await prepareBatch(imp, skippedBefore.splice(0), env);
        batch.push(r);
        if (batch.length >= imp.batch_size) {
          await flush();
          if (stopping) {
            await writing;
            // Left running with its lease handed on: the next start (or another process) resumes it.
            await repo.renewLease(db, ctx.orgId, imp.id, true);
            return;
          }
        }
      }
      if (batch.length) await flush();
      await writing;
    } finally {
      clearInterval(heartbeat);
    }
    await db.transaction(async (tx) => {
      await repo.finish(tx, ctx.orgId, imp.id, 'done', null);
      const done = (await repo.byId(tx, ctx.orgId, imp.id))!;
      const counts = {
        totalRows: done.total_rows,
        createdRows: done.created_rows,
        updatedRows: done.updated_rows,
        unchangedRows: done.unchanged_rows,
        errorRows: done.error_rows,
        skippedRows: done.skipped_rows,
        duplicateRows: done.duplicate_rows,
        warningRows: done.warning_rows,
      };
      await recordAudit(tx, ctx, {
        action: 'customer.import.complete',
        entityType: 'import',
        entityId: imp.id,
        meta: counts,
      });
      await emit(tx, ctx, {
        type: 'import.completed',
        record: { type: 'import', id: imp.id },
        data: { import: { id: imp.id, kind: 'customers', fileName: done.file_name, ...counts } },
      });
    });
    // Fresh statistics after a bulk load, so lookups by mobile use their index (embedded PGlite has no autovacuum).
    await deps.customers.refreshStatistics();
  }

  interface PreparedBatch {
    mappedRows: Array<ReturnType<typeof rowToInput<UserWithRole>>>;
    prepared: PreparedImportRow[];
    /** per row: the invalid optional values left out (imported without them) */
    warnings: Array<Record<string, FieldError> | null>;
    /** per row: the earlier line of the file it repeats */
    duplicateOf: Array<{ line: number; field: 'externalRef' | 'mobile' } | null>;
  }

  interface BatchEnv {
    defs: Awaited<ReturnType<typeof activeDefs>>;
    customTypes: Map<string, string>;
    usersByEmail: Map<string, UserWithRole>;
    creatorOwner: UserWithRole | null;
    duplicates: DuplicateTracker;
  }

  /** The pure work on a batch's rows, yielding now and then so the batch being written can go on. */
  async function prepareBatch(imp: ImportRow, rows: SheetRow[], env: BatchEnv): Promise<PreparedBatch> {
    const out: PreparedBatch = { mappedRows: [], prepared: [], warnings: [], duplicateOf: [] };
    for (const [i, r] of rows.entries()) {
      const mapped = rowToInput(r.cells, imp.columns, imp.mapping, env.customTypes, env.usersByEmail);
      let prepared = prepareImportRow(mapped.input as ImportRowInput, env.defs);
      const warnings = demoteOptional(mapped, prepared);
      if (warnings) prepared = prepareImportRow(mapped.input as ImportRowInput, env.defs);
      const fatal = [mapped.errors, prepared.schema, prepared.create.errors].some((e) =>
        Object.keys(e).some((k) => k !== 'name'),
      );
      out.mappedRows.push(mapped);
      out.prepared.push(prepared);
      out.warnings.push(warnings);
      out.duplicateOf.push(fatal ? null : env.duplicates.check(r.rowNumber, mapped.input as ImportRowInput));
      if (i % 50 === 49) await yieldToEventLoop();
    }
    return out;
  }

  /**
   * One transaction per batch. Rows are validated before they are written, so a bad row costs no database
   * error; should a row still fail in the database (a constraint), the batch is rolled back and replayed with a
   * SAVEPOINT around each row, so that only that row is reported and the others are kept.
   */
  async function runBatch(
    ctx: Ctx,
    imp: ImportRow,
    rows: SheetRow[],
    env: BatchEnv,
    ahead: PreparedBatch,
  ): Promise<BatchCounts> {
    const attempt = (savepoints: boolean) =>
      db.transaction(async (tx) => {
        const counts: BatchCounts = {
          processed: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          errors: 0,
          duplicates: 0,
          warnings: 0,
        };
        const failed: StoredRowError[] = [];
        const { mappedRows } = ahead;
        const matcher = await ImportMatcher.load(
          tx,
          ctx.orgId,
          mappedRows.filter((_, i) => !ahead.duplicateOf[i]).map((m) => m.input as ImportRowInput),
        );
        // New customers of the batch go in with one INSERT at its end (in savepoint mode, one by one).
        const deferred = savepoints ? undefined : new DeferredCreates(matcher);
        for (const [i, r] of rows.entries()) {
          counts.processed++;
          const mapped = mappedRows[i];
          const entries: RowErrorEntry[] = [];
          const duplicate = ahead.duplicateOf[i];
          if (duplicate) {
            counts.duplicates++;
            entries.push({
              field: duplicate.field,
              key: 'imports.outcome.duplicate_of',
              vars: { line: r.rowNumber, first: duplicate.line, field: duplicate.field },
              level: 'duplicate',
            });
          } else {
            let errors: Record<string, FieldError> = {};
            const one = () =>
              deps.customers.importRow(tx, ctx, mapped.input as ImportRowInput, {
                defs: env.defs,
                owner: mapped.owner,
                creatorOwner: env.creatorOwner,
                importId: imp.id,
                errors: mapped.errors,
                matcher,
                deferred,
                prepared: ahead.prepared[i],
              });
            try {
              // With savepoints, a failing row rolls back its own writes, audit and events only.
              const res = savepoints ? await tx.savepoint(one) : await one();
              if (res.status === 'invalid') errors = res.errors;
              else counts[res.status]++;
              if (res.status === 'unchanged') counts.updated++; // updatedRows counts every matched row
            } catch (err) {
              if (!savepoints) throw new RetryWithSavepoints(err);
              errors = { row: { key: 'imports.errors.row_failed' } };
            }
            if (Object.keys(errors).length) counts.errors++;
            else if (ahead.warnings[i]) counts.warnings++;
            for (const [field, e] of Object.entries(errors))
              entries.push({ field, key: e.key, vars: e.vars, level: 'error' });
            for (const [field, e] of Object.entries(ahead.warnings[i] ?? {}))
              entries.push({ field, key: e.key, vars: e.vars, level: 'warning' });
          }
          if (entries.length) {
            failed.push({
              row_number: r.rowNumber,
              errors: entries,
              cells: imp.columns.map((_, c) => r.cells[c] ?? ''),
            });
          }
        }
        if (deferred) {
          try {
            await deferred.flush(tx, ctx);
          } catch (err) {
            throw new RetryWithSavepoints(err);
          }
        }
        await repo.insertErrors(tx, ctx.orgId, imp.id, failed);
        await repo.addProgress(tx, ctx.orgId, imp.id, counts);
        return counts;
      });
    try {
      return await attempt(false);
    } catch (err) {
      if (err instanceof RetryWithSavepoints) return attempt(true);
      throw err;
    }
  }

  function launch(ctx: Ctx, imp: ImportRow, onProgress?: (p: ImportView) => void) {
    const p = execute(ctx, imp, onProgress)
      .catch(async (err) => {
        const message = err instanceof AppError ? `errors.${err.code}` : 'imports.message.failed';
        await repo.finish(db, ctx.orgId, imp.id, 'failed', message).catch(() => undefined);
        if (!(err instanceof AppError)) throw err;
      })
      .finally(() => running.delete(imp.id));
    running.set(imp.id, p);
    return p;
  }

  return {
    async upload(ctx: Ctx, fileName: string, data: Uint8Array) {
      authorize(ctx, 'import.upload');
      const name = fileName.trim().slice(0, 255);
      if (!name) throw new AppError('validation', { fields: { filename: { key: 'validation.required' } } });
      const format = detectFormat(name, data);
      const defs = await activeDefs(db, ctx.orgId, 'customer');
      const refs = defs.map((d) => ({ key: d.key, label: d.label }));
      const info = await inspectFile(data, format, { headerScore: headerScorer(refs) });
      const row = await db.transaction((tx) =>
        repo.insert(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          fileName: name,
          format,
          data: info.rows,
          dataFormat: 'rows',
          columns: info.columns,
          totalRows: info.totalRows,
          headerRow: info.headerRow,
          skippedRows: info.skippedRows,
          skippedLines: info.skipped,
          createdBy: ctx.actor.userId,
        }),
      );
      return {
        ...view(row),
        sampleRows: info.sampleRows,
        suggestedMapping: suggestMapping(info.columns, refs),
      };
    },

    /** Starts an uploaded import in the background of this process; poll get() for progress. */
    async start(ctx: Ctx, id: string, mapping: Mapping, opts: { batchSize?: number } = {}) {
      if (stopping) throw new AppError('import_not_ready');
      const imp = await begin(ctx, id, mapping, opts.batchSize ?? DEFAULT_BATCH_SIZE);
      launch(ctx, imp).catch(() => undefined); // failures are recorded on the import
      return view(imp);
    },

    /** Starts an uploaded import and waits for it (the CLI). */
    async run(ctx: Ctx, id: string, mapping: Mapping, opts: RunOptions = {}) {
      const imp = await begin(ctx, id, mapping, opts.batchSize ?? DEFAULT_BATCH_SIZE);
      await launch(ctx, imp, opts.onProgress);
      return view(await load(db, ctx, id, 'import.view'));
    },

    async get(ctx: Ctx, id: string) {
      return view(await load(db, ctx, id, 'import.view'));
    },

    /** The per-row error report (CSV): 404 now for an unknown import, then write(out) streams it. */
    async errorReport(ctx: Ctx, id: string) {
      const imp = await load(db, ctx, id, 'import.view');
      return { importId: imp.id, write: (out: Writable) => writeErrorReport(db, ctx, imp, out) };
    },

    /**
     * Resumes the running imports whose process is gone (its lease lapsed), as the user who started each; an
     * import whose user is no longer active ends as failed. Answers how many were resumed.
     */
    async resumeInterrupted(limit = 5) {
      if (stopping) return 0;
      const claimed = await repo.claimInterrupted(db, limit);
      let resumed = 0;
      for (const imp of claimed) {
        if (running.has(imp.id)) continue;
        const users = imp.created_by ? await deps.identity.directory(systemCtx(imp.org_id)) : [];
        const user = users.find((u) => u.id === imp.created_by);
        if (!user) {
          await repo.finish(db, imp.org_id, imp.id, 'failed', 'imports.message.interrupted');
          continue;
        }
        const ctx: Ctx = {
          orgId: imp.org_id,
          actor: actorOf(user, 'system'),
          requestId: `import-resume-${imp.id.slice(0, 8)}`,
          locale: 'zh-CN',
        };
        launch(ctx, imp).catch(() => undefined);
        resumed++;
      }
      return resumed;
    },

    /** Stops running imports after their current batch (they stay running, to be resumed) and waits for them. */
    async shutdown() {
      stopping = true;
      await Promise.allSettled([...running.values()]);
    },

    /** Waits for the background imports of this process (tests). */
    async idle() {
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** Optional values whose invalid cell costs the value, not the row. Keys (name, mobile, external ref), the kind,
 * the owner and custom fields (which may be required) still reject the row. */
const OPTIONAL_FIELDS = new Set([
  'email',
  'phone',
  'address',
  'personInCharge',
  'contactPerson',
  'position',
  'gender',
  'birthday',
  'age',
  'bestContactTime',
  'hobbies',
  'familyNotes',
  'notes',
  'sourceChannel',
  'memberLevel',
  'tags',
]);

/**
 * Moves the errors of optional values out of the row: the value is dropped from the input and its error
 * becomes a warning. Answers the warnings (null when none); the caller prepares the row again.
 */
function demoteOptional(
  mapped: { input: Record<string, unknown>; errors: Record<string, FieldError> },
  prepared: PreparedImportRow,
): Record<string, FieldError> | null {
  let warnings: Record<string, FieldError> | null = null;
  for (const errors of [mapped.errors, prepared.schema, prepared.create.errors]) {
    for (const [field, e] of Object.entries(errors)) {
      if (!OPTIONAL_FIELDS.has(field)) continue;
      warnings ??= {};
      warnings[field] ??= e;
      delete mapped.input[field];
    }
  }
  if (warnings) for (const field of Object.keys(warnings)) delete mapped.errors[field];
  return warnings;
}

class RetryWithSavepoints extends Error {
  constructor(readonly original: unknown) {
    super('a row failed in the database: replay the batch with savepoints');
  }
}

export type ImportsService = ReturnType<typeof makeImportsService>;
