/**
 * The built-in roles as a table: for every built-in role and every action of each module's policy (customers,
 * identity, audit, imports, processes, tasks), allowed() must equal the matrix below, written out by hand from
 * the issue:
 *  - agents read/create/update customers, add activities, export without PII, reveal a phone with a reason
 *    but never read PII in full; no assign, merge, import or delete; only their own work;
 *  - supervisors add assign, merge, import and PII read, and their teams' work;
 *  - managers and admins see every customer (scope.all) and everyone's work, export PII and read the audit log;
 *  - finance reads everything and writes nothing;
 *  - only admins manage users, teams, roles, custom fields and process definitions;
 *  - any member works the processes of records they see; role-limited transitions and approval steps are
 *    their role's (admins take and decide any).
 * The actors are built from the roles stored for a real org, so this also checks what createOrg seeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import type { Ctx } from '../../platform/context.ts';
import { allowed as auditAllowed, auditPolicy } from '../audit/audit.policy.ts';
import {
  customerScope,
  allowed as customersAllowed,
  customersPolicy,
  seesPii,
} from '../customers/customers.policy.ts';
import { exportsPii, allowed as importsAllowed, importsPolicy } from '../imports/imports.policy.ts';
import {
  approverRoleScope,
  mayDecide,
  mayTakeTransition,
  allowed as processesAllowed,
  processesPolicy,
} from '../processes/processes.policy.ts';
import { seesAllWork, allowed as tasksAllowed, tasksPolicy } from '../tasks/tasks.policy.ts';
import { allowed as identityAllowed, identityPolicy } from './identity.policy.ts';

const ROLES = ['agent', 'supervisor', 'manager', 'finance', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Row = [agent: boolean, supervisor: boolean, manager: boolean, finance: boolean, admin: boolean];

const Y = true;
const N = false;

//                                       agent supervisor manager finance admin
const CUSTOMERS: Record<keyof typeof customersPolicy, Row> = {
  'customer.list': /*               */ [Y, Y, Y, Y, Y],
  'customer.view': /*               */ [Y, Y, Y, Y, Y],
  'customer.create': /*             */ [Y, Y, Y, N, Y],
  'customer.update': /*             */ [Y, Y, Y, N, Y],
  'customer.delete': /*             */ [N, N, Y, N, Y],
  'customer.merge': /*              */ [N, Y, Y, N, Y],
  'customer.assign': /*             */ [N, Y, Y, N, Y],
  'customer.reveal': /*             */ [Y, Y, Y, Y, Y],
  'activity.create': /*             */ [Y, Y, Y, N, Y],
  'contact.create': /*              */ [Y, Y, Y, N, Y],
  'contact.update': /*              */ [Y, Y, Y, N, Y],
  'contact.delete': /*              */ [Y, Y, Y, N, Y],
  'customfield.list': /*            */ [Y, Y, Y, Y, Y],
  'customfield.manage': /*          */ [N, N, N, N, Y],
};

const IDENTITY: Record<keyof typeof identityPolicy, Row> = {
  'user.list': /*                   */ [N, N, N, N, Y],
  'user.view': /*                   */ [N, N, N, N, Y],
  'user.create': /*                 */ [N, N, N, N, Y],
  'user.update': /*                 */ [N, N, N, N, Y],
  'team.list': /*                   */ [Y, Y, Y, Y, Y],
  'team.create': /*                 */ [N, N, N, N, Y],
  'team.update': /*                 */ [N, N, N, N, Y],
  'role.list': /*                   */ [N, N, N, N, Y],
  'role.create': /*                 */ [N, N, N, N, Y],
  'role.update': /*                 */ [N, N, N, N, Y],
  'role.delete': /*                 */ [N, N, N, N, Y],
};

const AUDIT: Record<keyof typeof auditPolicy, Row> = {
  'audit.list': /*                  */ [N, N, Y, N, Y],
};

const IMPORTS: Record<keyof typeof importsPolicy, Row> = {
  'import.upload': /*               */ [N, Y, Y, N, Y],
  'import.start': /*                */ [N, Y, Y, N, Y],
  'import.view': /*                 */ [N, Y, Y, N, Y],
  'export.customers': /*            */ [Y, Y, Y, Y, Y],
};

const PROCESSES: Record<keyof typeof processesPolicy, Row> = {
  'definition.list': /*             */ [Y, Y, Y, Y, Y],
  'definition.view': /*             */ [Y, Y, Y, Y, Y],
  'definition.validate': /*         */ [Y, Y, Y, Y, Y],
  'definition.create': /*           */ [N, N, N, N, Y],
  'definition.draft': /*            */ [N, N, N, N, Y],
  'definition.publish': /*          */ [N, N, N, N, Y],
  'instance.start': /*              */ [Y, Y, Y, Y, Y],
  'instance.view': /*               */ [Y, Y, Y, Y, Y],
  'instance.transition': /*         */ [Y, Y, Y, Y, Y],
  'instance.event': /*              */ [Y, Y, Y, Y, Y],
  'approval.list': /*               */ [Y, Y, Y, Y, Y],
  'approval.decide': /*             */ [Y, Y, Y, Y, Y],
};

const TASKS: Record<keyof typeof tasksPolicy, Row> = {
  'work.team': /*                   */ [N, Y, Y, N, Y],
  'myday.team': /*                  */ [N, Y, Y, N, Y],
  'cadence.template.create': /*     */ [N, Y, Y, N, Y],
  'task.type.manage': /*            */ [N, N, N, N, Y],
};

/** Each policy with its table: a new policy is added here. */
const POLICIES: Array<{
  name: string;
  policy: object;
  table: Record<string, Row>;
  allowed: (ctx: Ctx, action: never) => boolean;
}> = [
  { name: 'customers', policy: customersPolicy, table: CUSTOMERS, allowed: customersAllowed },
  { name: 'identity', policy: identityPolicy, table: IDENTITY, allowed: identityAllowed },
  { name: 'audit', policy: auditPolicy, table: AUDIT, allowed: auditAllowed },
  { name: 'imports', policy: importsPolicy, table: IMPORTS, allowed: importsAllowed },
  { name: 'processes', policy: processesPolicy, table: PROCESSES, allowed: processesAllowed },
  { name: 'tasks', policy: tasksPolicy, table: TASKS, allowed: tasksAllowed },
];

// Row visibility and PII, beyond the action table.
const PREDICATES: Record<string, { fn: (ctx: Ctx) => boolean; row: Row }> = {
  'sees all customers (scope.all)': { fn: (c) => customerScope(c).all, row: [N, N, Y, Y, Y] },
  'sees the unassigned pool': {
    fn: (c) => {
      const s = customerScope(c);
      return s.all || s.unassigned;
    },
    row: [N, Y, Y, Y, Y],
  },
  'reads PII in full': { fn: seesPii, row: [N, Y, Y, N, Y] },
  'exports PII': { fn: exportsPii, row: [N, N, Y, N, Y] },
  'takes a transition limited to supervisors': {
    fn: (c) => mayTakeTransition(c, { roles: ['supervisor'] }),
    row: [N, Y, N, N, Y],
  },
  'takes a transition open to every role': { fn: (c) => mayTakeTransition(c, {}), row: [Y, Y, Y, Y, Y] },
  'decides an approval step of managers': {
    fn: (c) => mayDecide(c, { approver_role: 'manager' }),
    row: [N, N, Y, N, Y],
  },
  'sees every role’s pending approvals': { fn: (c) => approverRoleScope(c) === null, row: [N, N, N, N, Y] },
  'sees everyone’s work': { fn: seesAllWork, row: [N, N, Y, N, Y] },
};

let t: TestApp;
let org: TestOrg;
const ctx = {} as Record<Role, Ctx>;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  for (const r of ROLES) ctx[r] = await org.ctx(r);
});
after(() => t.close());

describe('built-in role × action table', () => {
  it('the tables name exactly the actions of each policy (a new action must be added here)', () => {
    for (const { name, policy, table } of POLICIES)
      assert.deepEqual(Object.keys(table).sort(), Object.keys(policy).sort(), name);
  });

  it('each test actor holds the built-in role it stands for', () => {
    for (const r of ROLES) assert.equal(ctx[r].actor.roleKey, r);
  });

  for (const [i, role] of ROLES.entries()) {
    it(`${role}: every policy's actions match the table`, () => {
      const mismatches: string[] = [];
      for (const { name, table, allowed } of POLICIES) {
        for (const [action, row] of Object.entries(table)) {
          const got = allowed(ctx[role], action as never);
          if (got !== row[i]) mismatches.push(`${name} ${action}: expected ${row[i]}, got ${got}`);
        }
      }
      for (const [name, { fn, row }] of Object.entries(PREDICATES)) {
        const got = fn(ctx[role]);
        if (got !== row[i]) mismatches.push(`${name}: expected ${row[i]}, got ${got}`);
      }
      assert.deepEqual(mismatches, []);
    });
  }

  it('agents and supervisors are scoped to their own and their teams’ customers', () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const s = customerScope(ctx[role]);
      assert.equal(s.all, false);
      if (!s.all) {
        assert.equal(s.userId, org.users[role].id);
        assert.deepEqual([...s.teamIds], [org.teamId]);
      }
    }
  });
});
