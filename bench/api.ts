// `npm run bench -- api`: Kept's customer API beside its ceiling, in one run on one PostgreSQL database.
// - ceiling: bench/ceiling-server.ts (Fastify + pg + zod, one statement per route, no auth);
// - Kept: `kept serve` with an API token (real auth, validation, duplicate check, audit, presenters).
// Both serve create / get by id / a page of 50 from the same customers table, each in its own process, loaded
// by autocannon from this process at concurrency 1 and 16. Then the table is filled to --customers (default
// 200,000) and Kept's default list page and customer search are measured at concurrency 16.
import { benchOrg, progress, withBenchDatabase } from './bench-db.ts';
import { bulkLoadCustomers } from './customer-data.ts';
import { type LoadResult, type LoadSpec, measure } from './load.ts';
import type { BenchOptions } from './options.ts';
import { type ServerProcess, startCeiling, startKept } from './servers.ts';

export type Op = 'create' | 'get' | 'list';

export interface ApiFigures {
  seconds: number;
  /** create / get / list at each concurrency: the ceiling's and Kept's figures. */
  pairs: Array<{ op: Op; connections: number; ceiling: LoadResult; kept: LoadResult }>;
  /** With `customers` customers loaded, at concurrency 16. */
  atScale: {
    customers: number;
    loadSeconds: number;
    list: LoadResult;
    searchName: LoadResult;
    searchMobileEnd: LoadResult;
  };
}

const PRELOAD = 2_000;
const CONNECTIONS = [1, 16];

/**
 * Unique names, mobiles and e-mails for created customers: Kept answers 409 to a duplicate, and the ceiling writes
 * the same table, so each side has its own mobile prefix, which the names carry too.
 */
function creator(prefix: string) {
  let n = 0;
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '静怡 伟 芳 娜 秀英 敏 磊 洋 艳 勇 子涵 浩然 欣怡 宇轩 梓萱'.split(' ');
  return () => {
    n++;
    const name = `${surnames[n % surnames.length]}${given[(n >> 3) % given.length]}${prefix}${n}`;
    return {
      kind: 'person',
      name,
      mobile: `${prefix}${String(n).padStart(8, '0')}`,
      ...(n % 2 ? { email: `c${n}.${prefix}@bench.example.cn` } : {}),
    };
  };
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

export async function benchApi(o: BenchOptions): Promise<ApiFigures> {
  return withBenchDatabase(o.databaseUrl, async ({ url, db, services }) => {
    const org = await benchOrg(services);
    const token = (await services.auth.createToken(org.ctx, { name: 'bench' })).token;
    console.log(`  preloading ${PRELOAD.toLocaleString('en')} customers`);
    const pre = await bulkLoadCustomers(db, org.orgId, org.adminId, PRELOAD);
    const ids = pre.ids;

    let ceiling: ServerProcess | undefined;
    let kept: ServerProcess | undefined;
    try {
      [ceiling, kept] = await Promise.all([startCeiling(url, org.orgId), startKept(url)]);
      const auth = { authorization: `Bearer ${token}` };
      const specs = (
        base: string,
        api: boolean,
        body: () => unknown,
      ): Record<Op, Omit<LoadSpec, 'connections'>> => {
        const root = api ? '/api/v1/customers' : '/customers';
        const headers = api ? auth : {};
        return {
          create: { url: base, seconds: o.seconds, headers, method: 'POST', path: () => root, body },
          get: { url: base, seconds: o.seconds, headers, path: () => `${root}/${pick(ids)}` },
          list: { url: base, seconds: o.seconds, headers, path: () => `${root}?limit=50` },
        };
      };
      const ceilingSpecs = specs(ceiling.url, false, creator('165'));
      const keptSpecs = specs(kept.url, true, creator('162'));
      const pairs: ApiFigures['pairs'] = [];
      for (const connections of CONNECTIONS) {
        for (const op of ['create', 'get', 'list'] as const) {
          console.log(`  ${op} at concurrency ${connections}: ceiling, then Kept (${o.seconds} s each)`);
          const c = await measure({ ...ceilingSpecs[op], connections });
          const k = await measure({ ...keptSpecs[op], connections });
          pairs.push({ op, connections, ceiling: c, kept: k });
        }
      }
      await ceiling.stop();
      ceiling = undefined;

      // Fill up to the scale, then the default list page and search on Kept.
      const existing = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n;
      const more = Math.max(0, o.customers - existing);
      const bar = progress('loading customers', more);
      const loaded = await bulkLoadCustomers(
        db,
        org.orgId,
        org.adminId,
        more,
        (d) => bar.update(d),
        7_000_000,
      );
      const loadSeconds = bar.done();
      const total = existing + more;
      const fragments = [...pre.nameFragments, ...loaded.nameFragments];
      const ends = [...pre.mobileEnds, ...loaded.mobileEnds];
      const at16 = (path: () => string): LoadSpec => ({
        url: kept!.url,
        seconds: o.seconds,
        headers: auth,
        connections: 16,
        path,
      });
      console.log(
        `  at ${total.toLocaleString('en')} customers, concurrency 16: list, search by name fragment, by last 4 digits`,
      );
      const list = await measure(at16(() => '/api/v1/customers'));
      const searchName = await measure(
        at16(() => `/api/v1/customers?q=${encodeURIComponent(pick(fragments))}`),
      );
      const searchMobileEnd = await measure(at16(() => `/api/v1/customers?q=${pick(ends)}`));
      return {
        seconds: o.seconds,
        pairs,
        atScale: { customers: total, loadSeconds, list, searchName, searchMobileEnd },
      };
    } finally {
      await Promise.all([ceiling?.stop(), kept?.stop()]);
    }
  });
}
