/**
 * The built-in roles as a table: for every built-in role and every action of each module's policy (customers,
 * identity, audit), allowed() must equal the matrix below, written out by hand from the issue:
 *  - agents read/create/update customers, add activities, export without PII, reveal a phone with a reason
 *    but never read PII in full; no assign, merge, import or delete;
 *  - supervisors add assign, merge, import and PII read;
 *  - managers and admins see every customer (scope.all), export PII and read the audit log;
 *  - finance reads everything and writes nothing;
 *  - only admins manage users, teams, roles and custom fields.
 * The actors are built from the roles stored for a real org, so this also checks what createOrg seeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import type { Ctx } from '../../platform/context.ts';
import {
  customerScope,
  allowed as customersAllowed,
  customersPolicy,
  exportsPii,
  seesPii,
} from '../customers/customers.policy.ts';
import { auditPolicy, allowed as auditAllowed } from '../audit/audit.policy.ts';
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
  'customer.import': /*             */ [N, Y, Y, N, Y],
  'customer.export': /*             */ [Y, Y, Y, Y, Y],
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

/** Each policy with its table: a new policy is added here. */
const POLICIES: Array<{ name: string; policy: object; table: Record<string, Row>; allowed: (ctx: Ctx, action: never) => boolean }> = [
  { name: 'customers', policy: customersPolicy, table: CUSTOMERS, allowed: customersAllowed },
  { name: 'identity', policy: identityPolicy, table: IDENTITY, allowed: identityAllowed },
  { name: 'audit', policy: auditPolicy, table: AUDIT, allowed: auditAllowed },
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
    for (const { name, policy, table } of POLICIES) assert.deepEqual(Object.keys(table).sort(), Object.keys(policy).sort(), name);
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
