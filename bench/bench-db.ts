// A database of its own for one benchmark, on the PostgreSQL server of DATABASE_URL: created and migrated
// before, dropped after (also when the benchmark fails).
import cliProgress from 'cli-progress';
import pg from 'pg';
import { makeServices, type Services } from '../src/kept.ts';
import { actorOf } from '../src/modules/identity/auth.service.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import type { Ctx } from '../src/platform/context.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { PostgresDb } from '../src/platform/db/postgres.ts';

export interface BenchDb {
  url: string;
  db: PostgresDb;
  services: Services;
}

export async function withBenchDatabase<T>(
  baseUrl: string,
  fn: (b: BenchDb) => Promise<T>,
  poolSize = 12,
): Promise<T> {
  const name = `kept_bench_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  // UTF-8 with a UTF-8 ctype, as production should be (pg_trgm finds no trigrams in Chinese under C).
  await admin
    .query(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    )
    .catch(async () => {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = new PostgresDb(url.toString(), poolSize);
  try {
    await migrate(db);
    const services = makeServices(db, loadConfig({ KEPT_DEMO: '0', KEPT_LOG_LEVEL: 'silent' }));
    return await fn({ url: url.toString(), db, services });
  } finally {
    await db.close().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export interface BenchOrg {
  orgId: string;
  adminId: string;
  ctx: Ctx;
}

/** An organization with its admin, acting as that admin. */
export async function benchOrg(services: Services, slug = 'bench'): Promise<BenchOrg> {
  const { org, admin } = await services.identity.createOrg({
    name: '压测公司',
    slug,
    adminEmail: `admin@${slug}.test`,
    adminPassword: 'bench-password',
  });
  const u = (await services.identity.usersByIds(org.org_id, [admin.id]))[0];
  return {
    orgId: org.org_id,
    adminId: admin.id,
    ctx: { orgId: org.org_id, actor: actorOf(u, 'system'), requestId: 'bench', locale: 'zh-CN' },
  };
}

/** Progress while loading: a bar on a terminal, a line every ~10% otherwise (logs, CI). */
export function progress(label: string, total: number) {
  const started = Date.now();
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar(
        { format: `  ${label} {bar} {value}/{total}` },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0);
  let shown = -1;
  return {
    update(done: number) {
      if (bar) return bar.update(done);
      const tenth = total ? Math.floor((done * 10) / total) : 10;
      if (tenth === shown) return;
      shown = tenth;
      console.log(`  ${label} ${done.toLocaleString('en')}/${total.toLocaleString('en')}`);
    },
    /** Stops the bar; returns the seconds since the start. */
    done(): number {
      bar?.stop();
      return (Date.now() - started) / 1000;
    },
  };
}
