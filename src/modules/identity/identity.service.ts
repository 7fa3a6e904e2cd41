import { randomUUID } from 'node:crypto';
import { createAuditHead, recordAudit } from '../../platform/audit/audit.ts';
import { hashPassword } from '../../platform/auth/crypto.ts';
import { ALL, BUILTIN_ROLES, isPermission } from '../../platform/auth/permissions.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import { type Db, PgCode, pgErrorCode, type Queryable, type Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import { LOCALES, type Locale } from '../../platform/i18n/i18n.ts';
import { authRepo } from './auth.repo.ts';
import { identityChanged } from './auth-cache.ts';
import { authorize, authorizeOver, permissionsNotHeld } from './identity.policy.ts';
import { type RoleRow, identityRepo as repo, type TeamRow, type UserWithRole } from './identity.repo.ts';

export interface CreateOrgInput {
  name: string;
  slug?: string;
  timeZone?: string;
  locale?: Locale;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

export interface UserInput {
  email: string;
  name: string;
  password: string;
  roleId?: string;
  roleKey?: string;
  teamIds?: string[];
  skills?: string[];
  locale?: Locale | null;
}

export interface UserPatch {
  name?: string;
  roleId?: string;
  teamIds?: string[];
  skills?: string[];
  status?: 'active' | 'disabled';
  password?: string;
  locale?: Locale | null;
}

function slugify(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return ascii || `org-${randomUUID().slice(0, 8)}`;
}

export function makeIdentityService(db: Db) {
  async function ensureRole(tx: Tx, orgId: string, roleId: string) {
    const role = await repo.roleById(tx, orgId, assertFieldId(roleId, 'roleId', 'validation.role_not_found'));
    if (!role) throw fieldError('roleId', 'validation.role_not_found');
    return role;
  }

  async function ensureTeams(tx: Tx, orgId: string, teamIds: string[]) {
    for (const [i, id] of teamIds.entries()) {
      const team = await repo.teamById(
        tx,
        orgId,
        assertFieldId(id, `teamIds.${i}`, 'validation.team_not_found'),
      );
      if (!team) throw fieldError(`teamIds.${i}`, 'validation.team_not_found');
    }
  }

  async function ensureUser(tx: Tx, orgId: string, userId: string, field: string) {
    const u = await repo.userById(tx, orgId, assertFieldId(userId, field, 'validation.user_not_found'));
    if (!u) throw fieldError(field, 'validation.user_not_found');
    return u;
  }

  const service = {
    /** Creates an org with its audit chain, the built-in roles and its first admin. Used by the CLI and the demo. */
    async createOrg(input: CreateOrgInput) {
      const orgId = randomUUID();
      const ctx = systemCtx(orgId, { name: 'kept org create' });
      const passwordHash = await hashPassword(input.adminPassword);
      return db.transaction(async (tx) => {
        let slug = input.slug ?? slugify(input.name);
        if (await repo.orgBySlug(tx, slug)) slug = `${slug}-${orgId.slice(0, 6)}`;
        const org = await repo.insertOrg(tx, {
          orgId,
          name: input.name,
          slug,
          timeZone: input.timeZone ?? 'Asia/Shanghai',
          locale: input.locale ?? 'zh-CN',
        });
        await createAuditHead(tx, orgId);
        await recordAudit(tx, ctx, { action: 'org.create', entityType: 'org', entityId: orgId, after: org });
        const locale = input.locale ?? 'zh-CN';
        const roles: Record<string, RoleRow> = {};
        for (const [key, def] of Object.entries(BUILTIN_ROLES)) {
          const role = await repo.insertRole(tx, {
            orgId,
            id: randomUUID(),
            key,
            name: def.name[locale],
            description: '',
            permissions: def.permissions,
            builtin: true,
          });
          roles[key] = role;
          await recordAudit(tx, ctx, {
            action: 'role.create',
            entityType: 'role',
            entityId: role.id,
            after: role,
          });
        }
        const admin = await repo.insertUser(tx, {
          orgId,
          id: randomUUID(),
          email: input.adminEmail.trim().toLowerCase(),
          name: input.adminName ?? 'Admin',
          passwordHash,
          roleId: roles.admin.id,
          locale: null,
          skills: [],
        });
        await recordAudit(tx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: admin.id,
          after: admin,
        });
        return { org, admin, roles };
      });
    },

    /** Pass the transaction when called inside one. */
    async org(orgId: string, q: Queryable = db) {
      const org = await repo.orgById(q, orgId);
      if (!org) throw notFound();
      return org;
    },

    listOrgs: () => repo.listOrgs(db),
    orgBySlug: (slug: string) => repo.orgBySlug(db, slug),

    async listUsers(ctx: Ctx) {
      authorize(ctx, 'user.list');
      return repo.listUsers(db, ctx.orgId);
    },

    /** One page of the org's users (the admin list). */
    async usersPage(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'user.list');
      return repo.usersPage(db, ctx.orgId, false, page);
    },

    /** One page of the directory: active members any signed-in member may see (for owner pickers). */
    async directoryPage(ctx: Ctx, page: PageRequest) {
      return repo.usersPage(db, ctx.orgId, true, page);
    },

    /** Users any signed-in member may see (for owner pickers): id, name, role, teams, skills. */
    /** Display names by id (owners on a customer page): one light query. */
    async namesByIds(orgId: string, ids: string[], q: Queryable = db) {
      return new Map((await repo.namesByIds(q, orgId, ids)).map((u) => [u.id, u.name]));
    },

    /** Role names by key (an approval step names its role by key), with whether the role is built in. */
    async roleNamesByKey(orgId: string, q: Queryable = db) {
      return new Map((await repo.roles(q, orgId)).map((r) => [r.key, { name: r.name, builtin: r.builtin }]));
    },

    /** Every user (active or not) in any of the teams. */
    async teamMemberIds(orgId: string, teamIds: readonly string[], q: Queryable = db) {
      return teamIds.length ? repo.memberIdsOfTeams(q, orgId, teamIds) : [];
    },

    async directory(ctx: Ctx, q: Queryable = db) {
      return (await repo.listUsers(q, ctx.orgId)).filter((u) => u.status === 'active');
    },

    async getUser(ctx: Ctx, id: string) {
      authorize(ctx, 'user.view');
      const u = await repo.userById(db, ctx.orgId, assertId(id));
      if (!u) throw notFound();
      return u;
    },

    /** Pass the transaction when called inside one. */
    async usersByIds(orgId: string, ids: string[], q: Queryable = db) {
      return ids.length ? repo.usersByIds(q, orgId, ids) : [];
    },

    async createUser(ctx: Ctx, input: UserInput): Promise<UserWithRole> {
      authorize(ctx, 'user.create');
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const role = input.roleId
          ? await ensureRole(tx, ctx.orgId, input.roleId)
          : await repo.roleByKey(tx, ctx.orgId, input.roleKey ?? 'agent');
        if (!role) throw fieldError('roleKey', 'validation.role_not_found');
        assertGrantable(ctx, role, input.roleId ? 'roleId' : 'roleKey');
        const teamIds = input.teamIds ?? [];
        await ensureTeams(tx, ctx.orgId, teamIds);
        if (await repo.userByEmail(tx, ctx.orgId, input.email))
          throw new AppError('email_taken', { fields: { email: { key: 'errors.email_taken' } } });
        const user = await repo
          .insertUser(tx, {
            orgId: ctx.orgId,
            id: randomUUID(),
            email: input.email.trim().toLowerCase(),
            name: input.name,
            passwordHash,
            roleId: role.id,
            locale: input.locale ?? null,
            skills: input.skills ?? [],
          })
          .catch((err) => {
            // A concurrent create with the same email got there first (users_org_email_uq).
            if (pgErrorCode(err) === PgCode.uniqueViolation)
              throw new AppError('email_taken', { fields: { email: { key: 'errors.email_taken' } } });
            throw err;
          });
        await repo.setTeamsOfUser(tx, ctx.orgId, user.id, teamIds);
        await recordAudit(tx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          after: user,
          meta: { teamIds },
        });
        return (await repo.userById(tx, ctx.orgId, user.id))!;
      });
    },

    async updateUser(ctx: Ctx, id: string, patch: UserPatch, ifMatch?: number): Promise<UserWithRole> {
      authorize(ctx, 'user.update');
      const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.userById(tx, ctx.orgId, assertId(id));
        if (!before) throw notFound();
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        const self = before.id === ctx.actor.userId;
        if (!self) authorizeOver(ctx, before.permissions, 'id');
        const roleChanges = !!patch.roleId && patch.roleId.toLowerCase() !== before.role_id;
        if (self && roleChanges) throw fieldError('roleId', 'validation.own_role');
        if (self && patch.status === 'disabled') throw fieldError('status', 'validation.disable_self');
        const newRole = roleChanges ? await ensureRole(tx, ctx.orgId, patch.roleId!) : null;
        if (newRole) assertGrantable(ctx, newRole, 'roleId');
        const losesAdmin =
          before.status === 'active' &&
          before.permissions.includes(ALL) &&
          (patch.status === 'disabled' || (newRole !== null && !newRole.permissions.includes(ALL)));
        if (losesAdmin) {
          const others = (await repo.lockActiveAdmins(tx, ctx.orgId)).filter((a) => a.id !== before.id);
          if (!others.length)
            throw fieldError(patch.status === 'disabled' ? 'status' : 'roleId', 'validation.last_admin');
        }
        if (patch.teamIds) await ensureTeams(tx, ctx.orgId, patch.teamIds);
        const after = await repo.updateUser(tx, ctx.orgId, before.id, {
          name: patch.name ?? before.name,
          roleId: patch.roleId ?? before.role_id,
          locale: patch.locale === undefined ? before.locale : patch.locale,
          skills: patch.skills ?? before.skills,
          status: patch.status ?? before.status,
          passwordHash: passwordHash ?? before.password_hash,
        });
        if (patch.teamIds) await repo.setTeamsOfUser(tx, ctx.orgId, before.id, patch.teamIds);
        const revoke = patch.status === 'disabled' || passwordHash !== undefined;
        if (revoke) {
          // Disabling a user (or resetting a password) ends every session and API token they hold.
          await authRepo.revokeSessionsOfUser(tx, ctx.orgId, before.id);
          if (patch.status === 'disabled') await authRepo.revokeTokensOfUser(tx, ctx.orgId, before.id);
        }
        const { team_ids: _t, role_key: _k, role_name: _n, permissions: _p, ...beforeRow } = before;
        await recordAudit(tx, ctx, {
          action:
            patch.status === 'disabled' && before.status !== 'disabled' ? 'user.disable' : 'user.update',
          entityType: 'user',
          entityId: before.id,
          before: beforeRow,
          after,
          meta: patch.teamIds
            ? { teamIds: patch.teamIds, passwordChanged: !!passwordHash }
            : { passwordChanged: !!passwordHash },
        });
        return (await repo.userById(tx, ctx.orgId, before.id))!;
      });
    },

    /** Who supervises a user (their first team's supervisor), for escalations. Pass the transaction when inside one. */
    supervisorOf: (q: Queryable, orgId: string, userId: string) => repo.supervisorOf(q, orgId, userId),

    /** Teams by id (e.g. to find a team's supervisor); pass the transaction when inside one. */
    async teamsOf(q: Queryable, orgId: string, teamIds: readonly string[]) {
      if (!teamIds.length) return [];
      return (await repo.teams(q, orgId)).filter((t) => teamIds.includes(t.id));
    },

    async teamsPage(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'team.list');
      return repo.teamsPage(db, ctx.orgId, page);
    },

    async listTeams(ctx: Ctx) {
      authorize(ctx, 'team.list');
      return repo.teams(db, ctx.orgId);
    },

    async createTeam(
      ctx: Ctx,
      input: { name: string; supervisorId?: string | null; memberIds?: string[] },
    ): Promise<TeamRow> {
      authorize(ctx, 'team.create');
      return db.transaction(async (tx) => {
        identityChanged(tx);
        if (input.supervisorId) await ensureUser(tx, ctx.orgId, input.supervisorId, 'supervisorId');
        const team = await insertTeamOr409(tx, ctx.orgId, input.name, input.supervisorId ?? null);
        const memberIds = [...new Set(input.memberIds ?? [])];
        for (const [i, uid] of memberIds.entries()) {
          await ensureUser(tx, ctx.orgId, uid, `memberIds.${i}`);
          await repo.addTeamMember(tx, ctx.orgId, team.id, uid);
        }
        await recordAudit(tx, ctx, {
          action: 'team.create',
          entityType: 'team',
          entityId: team.id,
          after: team,
          meta: { memberIds },
        });
        return { ...team, member_ids: memberIds };
      });
    },

    async updateTeam(
      ctx: Ctx,
      id: string,
      patch: { name?: string; supervisorId?: string | null; memberIds?: string[] },
      ifMatch?: number,
    ) {
      authorize(ctx, 'team.update');
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.teamById(tx, ctx.orgId, assertId(id));
        if (!before) throw notFound();
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        if (patch.supervisorId) await ensureUser(tx, ctx.orgId, patch.supervisorId, 'supervisorId');
        if (patch.name !== undefined && patch.name !== before.name) {
          if (await repo.teamNameTakenByOther(tx, ctx.orgId, patch.name, before.id))
            throw new AppError('conflict', { fields: { name: { key: 'errors.conflict' } } });
        }
        const after = await repo
          .updateTeam(tx, ctx.orgId, before.id, {
            name: patch.name ?? before.name,
            supervisorId: patch.supervisorId === undefined ? before.supervisor_id : patch.supervisorId,
          })
          .catch((err) => {
            if (pgErrorCode(err) === PgCode.uniqueViolation)
              throw new AppError('conflict', { fields: { name: { key: 'errors.conflict' } } });
            throw err;
          });
        const memberIds = patch.memberIds ? [...new Set(patch.memberIds)] : undefined;
        if (memberIds) {
          for (const [i, uid] of memberIds.entries()) await ensureUser(tx, ctx.orgId, uid, `memberIds.${i}`);
          await repo.clearTeamMembers(tx, ctx.orgId, before.id);
          for (const uid of memberIds) await repo.insertTeamMember(tx, ctx.orgId, before.id, uid);
        }
        await recordAudit(tx, ctx, {
          action: 'team.update',
          entityType: 'team',
          entityId: before.id,
          before,
          after,
          meta: memberIds ? { memberIds } : {},
        });
        return (await repo.teams(tx, ctx.orgId)).find((t) => t.id === before.id)!;
      });
    },

    async listRoles(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'role.list');
      return repo.rolesPage(db, ctx.orgId, page);
    },

    async createRole(
      ctx: Ctx,
      input: { key: string; name: string; description?: string; permissions: string[] },
    ) {
      authorize(ctx, 'role.create');
      checkPermissions(input.permissions);
      checkHeld(ctx, input.permissions, input.permissions);
      return db.transaction(async (tx) => {
        identityChanged(tx);
        if (await repo.roleByKey(tx, ctx.orgId, input.key))
          throw new AppError('conflict', { fields: { key: { key: 'errors.conflict' } } });
        const role = await repo.insertRole(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          key: input.key,
          name: input.name,
          description: input.description ?? '',
          permissions: [...new Set(input.permissions)],
          builtin: false,
        });
        await recordAudit(tx, ctx, {
          action: 'role.create',
          entityType: 'role',
          entityId: role.id,
          after: role,
        });
        return role;
      });
    },

    async updateRole(
      ctx: Ctx,
      id: string,
      patch: { name?: string; description?: string; permissions?: string[] },
      ifMatch?: number,
    ) {
      authorize(ctx, 'role.update');
      if (patch.permissions) checkPermissions(patch.permissions);
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.roleById(tx, ctx.orgId, assertId(id));
        if (!before) throw notFound();
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        if (before.builtin && patch.permissions) throw new AppError('builtin_role');
        authorizeOver(ctx, before.permissions, 'id');
        if (patch.permissions) {
          checkHeld(
            ctx,
            patch.permissions,
            patch.permissions.filter((p) => !before.permissions.includes(p)),
          );
          if (before.permissions.includes(ALL) && !patch.permissions.includes(ALL)) {
            // Taking '*' from a custom role: some active admin must keep it through another role.
            const others = (await repo.lockActiveAdmins(tx, ctx.orgId)).filter(
              (a) => a.role_id !== before.id,
            );
            if (!others.length) throw fieldError('permissions', 'validation.last_admin_role');
          }
        }
        const after = await repo.updateRole(tx, ctx.orgId, before.id, {
          name: patch.name ?? before.name,
          description: patch.description ?? before.description,
          permissions: patch.permissions ? [...new Set(patch.permissions)] : before.permissions,
        });
        await recordAudit(tx, ctx, {
          action: 'role.update',
          entityType: 'role',
          entityId: before.id,
          before,
          after,
        });
        return after;
      });
    },

    async deleteRole(ctx: Ctx, id: string) {
      authorize(ctx, 'role.delete');
      await db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.roleById(tx, ctx.orgId, assertId(id));
        if (!before) throw notFound();
        if (before.builtin) throw new AppError('builtin_role');
        authorizeOver(ctx, before.permissions, 'id');
        if ((await repo.countUsersWithRole(tx, ctx.orgId, before.id)) > 0) throw new AppError('role_in_use');
        await repo.deleteRole(tx, ctx.orgId, before.id);
        await recordAudit(tx, ctx, {
          action: 'role.delete',
          entityType: 'role',
          entityId: before.id,
          before,
          after: null,
        });
      });
    },
  };
  return service;
}

export type IdentityService = ReturnType<typeof makeIdentityService>;

function checkPermissions(perms: string[]) {
  perms.forEach((p, i) => {
    if (p !== ALL && !isPermission(p))
      throw fieldError(`permissions.${i}`, 'validation.permission', { value: p });
  });
}

/** Granting a role: the actor must hold every permission it carries (422 on the role field, naming them). */
function assertGrantable(ctx: Ctx, role: RoleRow, field: string) {
  const missing = permissionsNotHeld(ctx, role.permissions);
  if (missing.length)
    throw fieldError(field, 'validation.role_exceeds_own', { permissions: missing.join(', ') });
}

/** Adding permissions to a role: each added one must be held by the actor (422 on `permissions.<i>`). */
function checkHeld(ctx: Ctx, all: string[], added: string[]) {
  const missing = new Set(permissionsNotHeld(ctx, added));
  if (!missing.size) return;
  const fields: Record<string, { key: string; vars: Record<string, unknown> }> = {};
  all.forEach((p, i) => {
    if (missing.has(p))
      fields[`permissions.${i}`] = { key: 'validation.permission_not_held', vars: { value: p } };
  });
  throw new AppError('validation', { fields });
}

function assertFieldId(id: string, field: string, key: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw fieldError(field, key);
  return id;
}

async function insertTeamOr409(tx: Tx, orgId: string, name: string, supervisorId: string | null) {
  if (await repo.teamNameTaken(tx, orgId, name))
    throw new AppError('conflict', { fields: { name: { key: 'errors.conflict' } } });
  try {
    return await repo.insertTeam(tx, { orgId, id: randomUUID(), name, supervisorId });
  } catch (err) {
    if (pgErrorCode(err) === PgCode.uniqueViolation) throw new AppError('conflict');
    throw err;
  }
}

export { LOCALES };
