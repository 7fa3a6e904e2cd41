import { randomBytes } from 'node:crypto';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
import type { CustomersService } from '../customers/index.ts';
import { actorOf, type IdentityService, type UserWithRole } from '../identity/index.ts';
import type { ProcessesService } from '../processes/index.ts';
import type { TasksService } from '../tasks/index.ts';
import { DEMO_ORGANIZATION_NAME, generateDemoCustomers } from './demo-data.ts';

export const DEMO_SLUG = 'demo';
export const DEMO_USERS = [
  { email: 'admin@demo.kept', name: '管理员 周敏', roleKey: 'admin', skills: [] as string[] },
  { email: 'supervisor@demo.kept', name: '主管 陈静', roleKey: 'supervisor', skills: ['投诉处理', '大客户'] },
  { email: 'agent@demo.kept', name: '客服 李娜', roleKey: 'agent', skills: ['售后', '电商'] },
  { email: 'agent2@demo.kept', name: '客服 王磊', roleKey: 'agent', skills: ['售后', '大客户'] },
] as const;

export function demoPassword(configured?: string): { password: string; generated: boolean } {
  if (configured) return { password: configured, generated: false };
  return { password: `kept-${randomBytes(6).toString('base64url')}`, generated: true };
}

/** What the demo needs of Kept's services (kept.ts builds them; its Services fits). */
export interface DemoServices {
  db: Db;
  identity: IdentityService;
  customers: CustomersService;
  tasks: TasksService;
  processes: ProcessesService;
}

function userCtx(orgId: string, u: UserWithRole): Ctx {
  return { orgId, actor: actorOf(u, 'system'), requestId: 'demo-seed', locale: 'zh-CN' };
}

export interface DemoSeedOptions {
  customers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Creates the demo organization 示例公司: four users, one team, a custom field, and ~200 realistic customers
 * with contacts and a history of interactions — all through the services, so the audit trail is complete.
 */
export async function seedDemo(svc: DemoServices, password: string, opts: DemoSeedOptions = {}) {
  const org = await seedDemoOrg(svc, password);
  await seedDemoCustomers(svc, org.orgId, opts);
  return org;
}

/** The organization, its users, team and custom field: quick, so the server can open its doors right after. */
export async function seedDemoOrg(svc: DemoServices, password: string) {
  const { org, admin } = await svc.identity.createOrg({
    name: DEMO_ORGANIZATION_NAME,
    slug: DEMO_SLUG,
    adminEmail: DEMO_USERS[0].email,
    adminPassword: password,
    adminName: DEMO_USERS[0].name,
  });
  const orgId = org.org_id;
  const adminFull = (await svc.identity.usersByIds(orgId, [admin.id]))[0];
  const adminCtx = userCtx(orgId, adminFull);
  const users: Record<string, UserWithRole> = { [DEMO_USERS[0].email]: adminFull };
  for (const u of DEMO_USERS.slice(1)) {
    users[u.email] = await svc.identity.createUser(adminCtx, {
      email: u.email,
      name: u.name,
      password,
      roleKey: u.roleKey,
      skills: [...u.skills],
    });
  }
  const team = await svc.identity.createTeam(adminCtx, {
    name: '客服一组',
    supervisorId: users['supervisor@demo.kept'].id,
    memberIds: [users['supervisor@demo.kept'].id, users['agent@demo.kept'].id, users['agent2@demo.kept'].id],
  });
  await svc.customers.customFields.create(adminCtx, {
    entity: 'customer',
    key: 'preferred_store',
    label: { 'zh-CN': '常去门店', en: 'Preferred store', es: 'Tienda preferida' },
    type: 'select',
    options: [
      {
        value: 'sh-xujiahui',
        label: { 'zh-CN': '上海徐家汇店', en: 'Shanghai Xujiahui', es: 'Shanghái Xujiahui' },
      },
      {
        value: 'bj-sanlitun',
        label: { 'zh-CN': '北京三里屯店', en: 'Beijing Sanlitun', es: 'Pekín Sanlitun' },
      },
      { value: 'gz-tianhe', label: { 'zh-CN': '广州天河店', en: 'Guangzhou Tianhe', es: 'Cantón Tianhe' } },
    ],
  });
  return { orgId, teamId: team.id, users };
}

/** The demo customers (slow on embedded PostgreSQL: the server seeds them after it starts listening). */
export async function seedDemoCustomers(svc: DemoServices, orgId: string, opts: DemoSeedOptions = {}) {
  const users = Object.fromEntries((await svc.identity.directory(systemCtx(orgId))).map((u) => [u.email, u]));
  const adminCtx = userCtx(orgId, users['admin@demo.kept']);
  // Reload so the agents' team membership is part of their context.
  const reload = async (email: string) =>
    userCtx(orgId, (await svc.identity.usersByIds(orgId, [users[email].id]))[0]);
  const ownerCtx = [await reload('agent@demo.kept'), await reload('agent2@demo.kept')];
  const supervisorCtx = await reload('supervisor@demo.kept');

  const data = generateDemoCustomers(opts.customers ?? 200);
  const stores = ['sh-xujiahui', 'bj-sanlitun', 'gz-tianhe'];
  const unassigned: string[] = [];
  const owned: string[][] = [[], []];
  for (const [i, c] of data.entries()) {
    const ctx = c.ownerIndex === null ? adminCtx : ownerCtx[c.ownerIndex];
    const created = await svc.customers.create(ctx, {
      kind: c.kind,
      name: c.name,
      mobile: c.mobile,
      email: c.email,
      phone: c.phone,
      address: c.address,
      personInCharge: c.personInCharge,
      contactPerson: c.contactPerson,
      position: c.position,
      gender: c.gender,
      birthday: c.birthday,
      bestContactTime: c.bestContactTime,
      hobbies: c.hobbies,
      familyNotes: c.familyNotes,
      notes: c.notes,
      sourceChannel: c.sourceChannel,
      memberLevel: c.memberLevel,
      tags: c.tags,
      custom: c.kind === 'person' && i % 3 !== 2 ? { preferred_store: stores[i % stores.length] } : {},
      ownerId: c.ownerIndex === null ? null : undefined,
      allowDuplicate: true,
    });
    if (c.ownerIndex === null) unassigned.push(created.id);
    else if (c.kind === 'person') owned[c.ownerIndex].push(created.id);
    for (const contact of c.contacts) {
      await svc.customers.contacts.create(ctx, { customerId: created.id, ...contact });
    }
    for (const a of c.activities) {
      await svc.customers.addActivity(ctx, created.id, {
        kind: a.kind,
        direction: a.direction,
        subject: a.subject,
        body: a.body,
        occurredAt: new Date(Date.now() - a.daysAgo * 86_400_000).toISOString(),
      });
    }
    opts.onProgress?.(i + 1, data.length);
    await yieldToEventLoop();
  }
  // A few fresh assignments, so the agents start with "contact within 7 days" tasks.
  if (unassigned.length) {
    await svc.customers.assign(supervisorCtx, {
      customerIds: unassigned.slice(0, 6),
      strategy: 'least_loaded',
      skill: '售后',
    });
  }
  await seedDemoWork(svc, orgId, ownerCtx, owned);
}

const DAY = 86_400_000;

/**
 * Work in flight, so My day and the process panels show something real on the first visit: return visits (P3)
 * started days ago — some already past their 3-working-day SLA, so the worker escalates them on its first
 * sweep — and a few overdue call-backs.
 */
async function seedDemoWork(svc: DemoServices, orgId: string, agents: Ctx[], owned: string[][]) {
  const now = Date.now();
  await svc.db.transaction((tx) => svc.processes.definitions.ensureBuiltins(tx, orgId));
  for (const [n, ctx] of agents.entries()) {
    for (const [i, customerId] of owned[n].slice(0, 4).entries()) {
      const at = new Date(now - (i < 2 ? 6 : 1) * DAY);
      await svc.db.transaction((tx) =>
        svc.processes.engine.start(tx, ctx, {
          definitionKey: 'p3_return_visit',
          recordType: 'customer',
          recordId: customerId,
          at,
        }),
      );
    }
    const callBacks = [
      { title: '回电：客户询问退货进度', daysAgo: 2, urgent: true },
      { title: '补充客户生日与家庭信息（资料完善）', daysAgo: 1, urgent: false },
    ];
    for (const [i, cb] of callBacks.entries()) {
      await svc.db.transaction((tx) =>
        svc.tasks.createInTx(tx, ctx, {
          kind: 'general',
          title: cb.title,
          assigneeId: ctx.actor.userId!,
          // 10:00 in Shanghai on that day.
          dueAt: new Date(Math.floor((now - cb.daysAgo * DAY) / DAY) * DAY + 2 * 3_600_000),
          urgent: cb.urgent,
          important: true,
          relatedType: 'customer',
          relatedId: owned[n][4 + i],
        }),
      );
    }
  }
}
