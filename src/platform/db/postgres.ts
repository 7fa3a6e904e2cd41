import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  assertNotInTx,
  type Db,
  inTxScope,
  type QueryOptions,
  type QueryResult,
  type Tx,
  TxState,
  type WriteBuffer,
} from './db.ts';

// bigint (count(*), sequences) as JS numbers: Kept's counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// date columns stay plain 'YYYY-MM-DD' strings, as PGlite returns them.
pg.types.setTypeParser(1082, (v) => v);

/** A prepared statement's name: the same text always gets the same name on every connection. */
const names = new Map<string, string>();
function statement(sql: string, params: unknown[], opts?: QueryOptions): string | pg.QueryConfig {
  if (!opts?.prepare) return sql;
  let name = names.get(sql);
  if (!name) {
    name = `k_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return { name, text: sql, values: params };
}

class PgTx implements Tx {
  readonly inTransaction = true as const;
  constructor(
    private readonly client: pg.PoolClient,
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
  async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions): Promise<QueryResult<T>> {
    await this.state.before(this, sql);
    const q = statement(sql, params, opts);
    const r =
      typeof q === 'string' ? await this.client.query(q, params as unknown[]) : await this.client.query(q);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  }
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(url: string, poolSize = 10) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
    this.pool.on('error', () => {
      /* idle client errors are retried by the pool on next checkout */
    });
  }

  async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions): Promise<QueryResult<T>> {
    assertNotInTx();
    const q = statement(sql, params, opts);
    const r =
      typeof q === 'string' ? await this.pool.query(q, params as unknown[]) : await this.pool.query(q);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    assertNotInTx();
    const client = await this.pool.connect();
    const state = new TxState();
    let released = false;
    try {
      await client.query('BEGIN');
      const tx = new PgTx(client, state);
      const result = await inTxScope(async () => {
        const r = await fn(tx);
        await state.flush(tx);
        return r;
      });
      await client.query('COMMIT');
      client.release();
      released = true;
      state.runAfterCommit();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      if (!released) client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
