import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  assertNotInTx,
  type Db,
  inTxScope,
  type QueryResult,
  type Tx,
  TxState,
  type WriteBuffer,
} from './db.ts';

type PGliteTx = Parameters<Parameters<PGlite['transaction']>[0]>[0];

/** rowCount as node-postgres gives it: rows returned, else rows changed (PGlite reports 0 changed for a SELECT). */
function wrapResult<T>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<T> {
  return { rows: r.rows as T[], rowCount: r.rows.length || (r.affectedRows ?? 0) };
}

class PGliteTxAdapter implements Tx {
  readonly inTransaction = true as const;
  constructor(
    private readonly tx: PGliteTx,
    readonly state: TxState,
  ) {}
  afterCommit(fn: () => unknown): void {
    this.state.afterCommit(fn);
  }
  buffer<T>(key: WriteBuffer<T>): T[] {
    return this.state.buffer(key);
  }
  savepoint<T>(fn: () => Promise<T>): Promise<T> {
    return this.state.savepoint(this, fn);
  }
  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    await this.state.before(this, sql);
    return wrapResult<T>(await this.tx.query(sql, params));
  }
}

export class PGliteDb implements Db {
  readonly kind = 'pglite' as const;
  private constructor(
    private readonly pg: PGlite,
    private readonly lockFile?: string,
  ) {}

  /**
   * Opens (or creates) an embedded database. With a directory, a lock file makes sure only one process
   * uses it: PGlite itself would let a second process corrupt the data.
   */
  static async open(opts: { dataDir?: string; loadDataDir?: Blob | File }): Promise<PGliteDb> {
    let lockFile: string | undefined;
    let dataDir: string | undefined;
    let loadDataDir = opts.loadDataDir;
    if (opts.dataDir) {
      fs.mkdirSync(opts.dataDir, { recursive: true });
      lockFile = path.join(opts.dataDir, 'kept.lock');
      acquireLock(lockFile);
      dataDir = path.join(opts.dataDir, 'pglite');
      // A new directory starts from the initialized template prepared at install time, when there is one.
      const template = templateFile();
      if (!loadDataDir && !fs.existsSync(dataDir) && fs.existsSync(template))
        loadDataDir = new Blob([fs.readFileSync(template)]);
    }
    try {
      const pg = await PGlite.create({
        dataDir,
        loadDataDir,
        extensions: { pg_trgm },
        // Same value shapes as the node-postgres adapter: bigint as number, date as 'YYYY-MM-DD'.
        parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
      });
      return new PGliteDb(pg, lockFile);
    } catch (err) {
      if (lockFile) fs.rmSync(lockFile, { force: true });
      throw err;
    }
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    assertNotInTx();
    return wrapResult<T>(await this.pg.query(sql, params));
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    assertNotInTx();
    const state = new TxState();
    const result = await this.pg.transaction((tx) =>
      inTxScope(async () => {
        const adapter = new PGliteTxAdapter(tx, state);
        const r = await fn(adapter);
        await state.flush(adapter);
        return r;
      }),
    );
    state.runAfterCommit();
    return result;
  }

  /** A snapshot of the whole database, used by tests to start each file from a migrated template. */
  async dump(): Promise<Blob | File> {
    return this.pg.dumpDataDir('none');
  }

  async close(): Promise<void> {
    await this.pg.close();
    if (this.lockFile) fs.rmSync(this.lockFile, { force: true });
  }
}

/** Where scripts/pglite-template.mjs leaves an initialized empty data directory for this PGlite version. */
function templateFile(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const pkg = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = fs.existsSync(pkg)
    ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version
    : 'unknown';
  return path.join(root, 'node_modules', '.cache', 'kept', `pglite-${version}.tar`);
}

function acquireLock(lockFile: string): void {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The data directory ${path.dirname(lockFile)} is in use by process ${holder}. ` +
        'Embedded PostgreSQL allows one process per directory: stop the other one, or set DATABASE_URL.',
    );
  }
  // A stale lock from a process that died (kill -9): take it over.
  fs.writeFileSync(lockFile, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
