import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, makeServices, type Services } from '../src/kept.ts';
import { actorOf } from '../src/modules/identity/auth.service.ts';
import type { UserWithRole } from '../src/modules/identity/index.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate, readMigrations } from '../src/platform/db/migrate.ts';
import { PGliteDb } from '../src/platform/db/pglite.ts';
import { PostgresDb } from '../src/platform/db/postgres.ts';
import { drainEvents } from '../src/platform/events/dispatcher.ts';

/**
 * Test harness: a fresh, migrated database per test file — PGlite by default (loaded from a migrated template
 * kept on disk), or a new database on the PostgreSQL server named by DATABASE_URL — plus the Fastify app for
 * app.inject() and factories that build orgs and users.
 */
export const onPostgres = !!process.env.DATABASE_URL;
export const PASSWORD = 'correct-horse-42';

const TEMPLATE_DIR = path.resolve('.kept-test');

async function pgliteFromTemplate(): Promise<PGliteDb> {
  const key = readMigrations()
    .map((m) => m.checksum.slice(0, 8))
    .join('-');
  const file = path.join(TEMPLATE_DIR, `template-${key.slice(-40)}.tar`);
  if (!fs.existsSync(file)) {
    const db = await PGliteDb.open({});
    await migrate(db);
    const blob = await db.dump();
    await db.close();
    fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, file);
  }
  const data = fs.readFileSync(file);
  return PGliteDb.open({ loadDataDir: new Blob([data]) });
}

async function postgresFresh(): Promise<{ db: PostgresDb; url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `kept_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin
    .query(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    )
    .catch(async () => {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    });
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const db = new PostgresDb(url.toString(), 5);
  await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh migrated database; on PostgreSQL also its URL, for tests that start other processes on it. */
export async function testDb(): Promise<{ db: Db; url?: string; close: () => Promise<void> }> {
  if (onPostgres) {
    const { db, url, drop } = await postgresFresh();
    return {
      db,
      url,
      close: async () => {
        await db.close();
        await drop();
      },
    };
  }
  const db = await pgliteFromTemplate();
  return { db, close: () => db.close() };
}

export const testConfig = (over: Record<string, string> = {}) =>
  loadConfig({
    KEPT_DEMO: '0',
    KEPT_LOG_LEVEL: 'silent',
    KEPT_WEB_DIST: path.join(os.tmpdir(), 'kept-no-web'),
    ...over,
  });

export async function makeTestApp(over: Record<string, string> = {}) {
  const { db, url, close } = await testDb();
  const config = testConfig(over);
  const services = makeServices(db, config);
  const app = await buildApp(services, config, { logger: false });
  await app.ready();
  return {
    db,
    /** The database URL on PostgreSQL (undefined on PGlite). */
    url,
    services,
    app,
    config,
    close: async () => {
      await app.close();
      await close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

export function ctxFor(orgId: string, u: UserWithRole): Ctx {
  return { orgId, actor: actorOf(u, 'session'), requestId: `test-${randomUUID()}`, locale: 'zh-CN' };
}

export interface TestOrg {
  orgId: string;
  slug: string;
  users: Record<'admin' | 'supervisor' | 'agent' | 'agent2' | 'manager' | 'finance', UserWithRole>;
  ctx: (who: keyof TestOrg['users']) => Promise<Ctx>;
  teamId: string;
  token: (who: keyof TestOrg['users']) => Promise<string>;
}

let orgCounter = 0;

/** An org with one user per built-in role; supervisor, agent and agent2 in one team. Tokens on demand. */
export async function buildOrg(services: Services, name = `测试公司 ${++orgCounter}`): Promise<TestOrg> {
  const slug = `t${orgCounter}-${randomUUID().slice(0, 6)}`;
  const { org, admin } = await services.identity.createOrg({
    name,
    slug,
    adminEmail: `admin@${slug}.test`,
    adminPassword: PASSWORD,
    adminName: '管理员',
  });
  const orgId = org.org_id;
  const adminU = (await services.identity.usersByIds(orgId, [admin.id]))[0];
  const adminCtx = ctxFor(orgId, adminU);
  const mk = (role: string, local: string, skills: string[] = []) =>
    services.identity.createUser(adminCtx, {
      email: `${local}@${slug}.test`,
      name: `${local}-${role}`,
      password: PASSWORD,
      roleKey: role,
      skills,
    });
  const supervisor = await mk('supervisor', 'supervisor');
  const agent = await mk('agent', 'agent', ['售后']);
  const agent2 = await mk('agent', 'agent2', ['售后', '大客户']);
  const manager = await mk('manager', 'manager');
  const finance = await mk('finance', 'finance');
  const team = await services.identity.createTeam(adminCtx, {
    name: '一组',
    supervisorId: supervisor.id,
    memberIds: [supervisor.id, agent.id, agent2.id],
  });
  const ids = {
    admin: adminU.id,
    supervisor: supervisor.id,
    agent: agent.id,
    agent2: agent2.id,
    manager: manager.id,
    finance: finance.id,
  };
  const fresh = async (who: keyof typeof ids) => (await services.identity.usersByIds(orgId, [ids[who]]))[0];
  const users = {
    admin: await fresh('admin'),
    supervisor: await fresh('supervisor'),
    agent: await fresh('agent'),
    agent2: await fresh('agent2'),
    manager: await fresh('manager'),
    finance: await fresh('finance'),
  };
  const tokens = new Map<string, string>();
  return {
    orgId,
    slug,
    users,
    teamId: team.id,
    ctx: async (who) => ctxFor(orgId, await fresh(who)),
    token: async (who) => {
      if (!tokens.has(who))
        tokens.set(who, (await services.auth.createToken(ctxFor(orgId, users[who]), { name: 'test' })).token);
      return tokens.get(who)!;
    },
  };
}

/** Headers for a request as a user: a Bearer token (no CSRF needed), optional language. */
export function as(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

/**
 * What the background worker does after commits, done now: dispatches every pending domain event to its
 * consumers (processes, cadences, webhooks, notifications), repeatedly, until nothing is left.
 */
export async function settle(db: Db, opts: { now?: Date } = {}): Promise<number> {
  return drainEvents(db, opts);
}
