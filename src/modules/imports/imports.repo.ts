import type { Queryable } from '../../platform/db/db.ts';
import type { FileFormat, SkippedLine } from './file-formats.ts';
import type { Mapping } from './mapping.ts';

export interface ImportRow {
  org_id: string;
  id: string;
  entity: string;
  file_name: string;
  file_format: FileFormat;
  data_format: 'rows' | null;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  mapping: Mapping;
  columns: string[];
  total_rows: number;
  processed_rows: number;
  created_rows: number;
  updated_rows: number;
  unchanged_rows: number;
  error_rows: number;
  header_row: number;
  skipped_rows: number;
  skipped_lines: SkippedLine[];
  duplicate_rows: number;
  warning_rows: number;
  lease_until: Date | null;
  batch_size: number;
  message: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export type RowEntryLevel = 'error' | 'warning' | 'duplicate';

export interface RowErrorEntry {
  field: string;
  key: string;
  vars?: Record<string, unknown>;
  /** absent on entries stored before levels existed: an error */
  level?: RowEntryLevel;
}

export interface StoredRowError {
  row_number: number;
  errors: RowErrorEntry[];
  cells: string[];
}

export interface BatchCounts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  duplicates: number;
  warnings: number;
}

/** How long a running import is held by the process running it without a renewal; then another resumes it. */
export const LEASE_SECONDS = 60;

// Every column but the file itself, which is read only when the import runs.
const COLS = `org_id, id, entity, file_name, file_format, data_format, status, mapping, columns, total_rows, processed_rows, created_rows,
  updated_rows, unchanged_rows, error_rows, header_row, skipped_rows, skipped_lines, duplicate_rows, warning_rows, lease_until, batch_size, message, created_by, created_at, updated_at, finished_at`;

/** SQL for the imports and import_row_errors tables; no rules. */
export const importsRepo = {
  async insert(
    q: Queryable,
    v: {
      orgId: string;
      id: string;
      fileName: string;
      format: FileFormat;
      data: Uint8Array;
      /** 'rows': data holds the rows the upload read (JSON lines), not the original file. */
      dataFormat: 'rows' | null;
      columns: string[];
      totalRows: number;
      headerRow: number;
      skippedRows: number;
      skippedLines: SkippedLine[];
      createdBy: string | null;
    },
  ) {
    return (
      await q.query<ImportRow>(
        `INSERT INTO imports (org_id, id, file_name, file_format, data_format, file_data, columns, total_rows, created_by,
           header_row, skipped_rows, skipped_lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLS}`,
        [
          v.orgId,
          v.id,
          v.fileName,
          v.format,
          v.dataFormat,
          v.data,
          JSON.stringify(v.columns),
          v.totalRows,
          v.createdBy,
          v.headerRow,
          v.skippedRows,
          JSON.stringify(v.skippedLines),
        ],
      )
    ).rows[0];
  },

  async byId(q: Queryable, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
    return (
      await q.query<ImportRow>(
        `SELECT ${COLS} FROM imports WHERE org_id = $1 AND id = $2 AND entity = 'customers'${opts.forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },

  async fileData(q: Queryable, orgId: string, id: string): Promise<Uint8Array | null> {
    const r = (
      await q.query<{ file_data: Uint8Array | null }>(
        'SELECT file_data FROM imports WHERE org_id = $1 AND id = $2',
        [orgId, id],
      )
    ).rows[0];
    return r?.file_data ?? null;
  },

  async markRunning(q: Queryable, orgId: string, id: string, mapping: Mapping, batchSize: number) {
    await q.query(
      `UPDATE imports SET status = 'running', mapping = $3, batch_size = $4, message = NULL, updated_at = now(),
         lease_until = now() + make_interval(secs => ${LEASE_SECONDS}) WHERE org_id = $1 AND id = $2`,
      [orgId, id, JSON.stringify(mapping), batchSize],
    );
  },

  async addProgress(q: Queryable, orgId: string, id: string, c: BatchCounts) {
    await q.query(
      `UPDATE imports SET processed_rows = processed_rows + $3, created_rows = created_rows + $4, updated_rows = updated_rows + $5,
         unchanged_rows = unchanged_rows + $6, error_rows = error_rows + $7, duplicate_rows = duplicate_rows + $8,
         warning_rows = warning_rows + $9, updated_at = now(), lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
       WHERE org_id = $1 AND id = $2`,
      [orgId, id, c.processed, c.created, c.updated, c.unchanged, c.errors, c.duplicates, c.warnings],
    );
  },

  /** Keeps a running import's lease (the process is alive, a batch may be long); `release` hands it on now. */
  async renewLease(q: Queryable, orgId: string, id: string, release = false) {
    await q.query(
      `UPDATE imports SET lease_until = CASE WHEN $3 THEN now() ELSE now() + make_interval(secs => ${LEASE_SECONDS}) END
       WHERE org_id = $1 AND id = $2 AND status = 'running'`,
      [orgId, id, release],
    );
  },

  /**
   * Claims running imports whose process is gone (lease lapsed), in any org: each is leased to the caller at
   * once, so two processes never resume the same import.
   */
  async claimInterrupted(q: Queryable, limit: number) {
    return (
      await q.query<ImportRow>(
        `UPDATE imports SET lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
         WHERE (org_id, id) IN (
           SELECT org_id, id FROM imports
           WHERE status = 'running' AND (lease_until IS NULL OR lease_until < now())
           ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLS}`,
        [limit],
      )
    ).rows;
  },

  async finish(q: Queryable, orgId: string, id: string, status: 'done' | 'failed', message: string | null) {
    // A finished import drops the uploaded file: the error report keeps the rows it needs.
    await q.query(
      `UPDATE imports SET status = $3, message = $4, finished_at = now(), updated_at = now(),
         file_data = CASE WHEN $3 = 'done' THEN NULL ELSE file_data END
       WHERE org_id = $1 AND id = $2`,
      [orgId, id, status, message],
    );
  },

  async insertErrors(q: Queryable, orgId: string, importId: string, rows: StoredRowError[]) {
    if (!rows.length) return;
    await q.query(
      `INSERT INTO import_row_errors (org_id, import_id, row_number, errors, cells)
       SELECT $1, $2, (e->>'row_number')::int, e->'errors', e->'cells' FROM jsonb_array_elements($3::jsonb) e
       ON CONFLICT (org_id, import_id, row_number) DO UPDATE SET errors = EXCLUDED.errors, cells = EXCLUDED.cells`,
      [orgId, importId, JSON.stringify(rows)],
    );
  },

  async errorsPage(q: Queryable, orgId: string, importId: string, afterRow: number, limit: number) {
    return (
      await q.query<StoredRowError>(
        `SELECT row_number, errors, cells FROM import_row_errors WHERE org_id = $1 AND import_id = $2 AND row_number > $3
         ORDER BY row_number LIMIT $4`,
        [orgId, importId, afterRow, limit],
      )
    ).rows;
  },
};
