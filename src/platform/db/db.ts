import { AsyncLocalStorage } from 'node:async_hooks';
/**
 * The database port. The rest of Kept sees only this interface; pglite.ts and postgres.ts are the
 * only files that know which engine runs underneath.
 */
export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection (PostgreSQL): for hot statements whose text is fixed, so they
   * are parsed and planned once per connection rather than on every call. PGlite ignores it.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult<T>>;
}

export interface Tx extends Queryable {
  readonly inTransaction: true;
  /**
   * Runs fn once the transaction has committed (never if it rolls back): wake a worker, send what was recorded.
   * A failing callback is reported to the log sink, not to the caller: the transaction is already committed.
   */
  afterCommit(fn: () => unknown): void;
  /**
   * Rows written just before COMMIT, all buffers in one statement (audit events, domain events): a transaction
   * that records ten changes pays one round trip for their trail, not twenty.
   */
  buffer<T>(key: WriteBuffer<T>): T[];
  /** Runs fn under a savepoint: a throw rolls the database and the buffers back to where they were, then rethrows. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * A kind of row written at commit. `insert` gives one INSERT statement for the rows, taking its parameters
 * through `param` (which returns the placeholder, e.g. `$3`).
 */
export interface WriteBuffer<T> {
  name: string;
  /**
   * The table the rows go to. A statement of the same transaction that names it first writes what is buffered
   * for it, so the transaction always reads its own writes.
   */
  table: string;
  /** Other words that also call for the rows first: columns referencing them (foreign keys), e.g. `task_id`. */
  referencedAs?: string[];
  /** `guard`, when given, is a SQL condition the rows are written under (see writeWithTrail). */
  insert(rows: T[], param: (value: unknown) => string, guard?: string): string;
}

/** What one transaction keeps beside its connection: commit hooks and write buffers (used by both adapters). */
export class TxState {
  private readonly hooks: Array<() => unknown> = [];
  private readonly buffers = new Map<WriteBuffer<unknown>, unknown[]>();
  private savepoints = 0;

  afterCommit(fn: () => unknown): void {
    this.hooks.push(fn);
  }

  buffer<T>(key: WriteBuffer<T>): T[] {
    let rows = this.buffers.get(key as WriteBuffer<unknown>);
    if (!rows) {
      rows = [];
      this.buffers.set(key as WriteBuffer<unknown>, rows);
    }
    return rows as T[];
  }

  async savepoint<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
    // What was buffered before belongs to the outer transaction: written now, a rollback to the savepoint keeps it.
    await this.flush(q);
    const name = `sp_${++this.savepoints}`;
    const marks = new Map([...this.buffers].map(([k, rows]) => [k, rows.length]));
    await q.query(`SAVEPOINT ${name}`);
    try {
      const r = await fn();
      await q.query(`RELEASE SAVEPOINT ${name}`);
      return r;
    } catch (err) {
      await q.query(`ROLLBACK TO SAVEPOINT ${name}`);
      for (const [k, rows] of this.buffers) rows.length = marks.get(k) ?? 0;
      throw err;
    }
  }

  /** Before a statement: writes the buffers whose table it names (read-your-writes inside the transaction). */
  async before(q: Queryable, sql: string): Promise<void> {
    if (this.flushing) return;
    const needed: Array<WriteBuffer<unknown>> = [];
    for (const [key, rows] of this.buffers) {
      if (rows.length && (sql.includes(key.table) || key.referencedAs?.some((w) => sql.includes(w))))
        needed.push(key);
    }
    if (needed.length) await this.flush(q, needed);
  }

  private flushing = false;

  /** Writes every buffered row (or those of `only`) in one statement (data-modifying CTEs); before COMMIT. */
  async flush(q: Queryable, only?: Array<WriteBuffer<unknown>>): Promise<void> {
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const statements: string[] = [];
    for (const [key, rows] of this.buffers) {
      if (only && !only.includes(key)) continue;
      if (rows.length) statements.push(key.insert(rows, param));
      rows.length = 0;
    }
    if (!statements.length) return;
    const sql =
      statements.length === 1
        ? statements[0]
        : `WITH ${statements.map((st, i) => `w${i} AS (${st})`).join(', ')} SELECT 1`;
    this.flushing = true;
    try {
      await q.query(sql, params, { prepare: true });
    } finally {
      this.flushing = false;
    }
  }

  runAfterCommit(): void {
    for (const fn of this.hooks.splice(0)) {
      try {
        const r = fn();
        if (r instanceof Promise) r.catch((err) => commitHookErrors(err));
      } catch (err) {
        commitHookErrors(err);
      }
    }
  }
}

let commitHookErrors: (err: unknown) => void = (err) =>
  process.stderr.write(`[kept] after-commit hook failed: ${String(err)}\n`);
/** Where failures of after-commit callbacks are reported (the server's logger). */
export function onCommitHookError(fn: (err: unknown) => void): void {
  commitHookErrors = fn;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. Use the tx, never the Db, inside. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Postgres error codes we translate into domain errors. */
export const PgCode = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  invalidTextRepresentation: '22P02',
} as const;

export function pgErrorCode(err: unknown): string | undefined {
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'string'
  ) {
    return (err as { code: string }).code;
  }
  return undefined;
}

const txScope = new AsyncLocalStorage<true>();

/** Runs fn marked as inside a transaction, so that a stray use of the Db (instead of the Tx) is caught. */
export function inTxScope<T>(fn: () => Promise<T>): Promise<T> {
  return txScope.run(true, fn);
}

/**
 * Inside a transaction every query must go through its Tx: on PGlite a query on the Db would wait for the
 * transaction forever (one connection), on PostgreSQL it would escape the transaction. Fail loudly instead.
 */
export function assertNotInTx(): void {
  if (txScope.getStore())
    throw new Error('Db used inside a transaction: pass the transaction (tx) down instead');
}

/**
 * Embedded PGlite runs queries synchronously on the main thread and resolves them as microtasks, so a long
 * loop of queries would starve HTTP requests. Long-running loops (seeding, imports) call this between items.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
