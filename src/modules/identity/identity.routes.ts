import { z } from 'zod';
import { PERMISSIONS, roleDisplayName } from '../../platform/auth/permissions.ts';
import { type App, ctxOf } from '../../platform/http/app.ts';
import {
  errors,
  etag,
  idParams,
  ifMatchVersion,
  iso,
  list,
  page,
  pageQuery,
} from '../../platform/http/schemas.ts';
import { LOCALES, type Locale } from '../../platform/i18n/i18n.ts';
import type { RoleRow, TeamRow, UserWithRole } from './identity.repo.ts';
import type { IdentityService } from './identity.service.ts';

const i18nPassword = z.string().min(8, { error: 'validation.password' }).max(200);
const email = z.string().trim().email({ error: 'validation.email' }).max(254);

export const UserOut = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roleId: z.string(),
    roleKey: z.string(),
    roleName: z.string(),
    teamIds: z.array(z.string()),
    skills: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    locale: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export function presentUser(u: UserWithRole, locale: Locale = 'zh-CN'): z.infer<typeof UserOut> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roleId: u.role_id,
    roleKey: u.role_key,
    roleName: roleDisplayName(u.role_key, u.role_name, locale),
    teamIds: u.team_ids,
    skills: u.skills,
    status: u.status,
    locale: u.locale,
    version: u.version,
    createdAt: iso(u.created_at)!,
  };
}

const TeamOut = z
  .object({
    id: z.string(),
    name: z.string(),
    supervisorId: z.string().nullable(),
    memberIds: z.array(z.string()),
    version: z.number(),
  })
  .meta({ id: 'Team' });
const presentTeam = (t: TeamRow) => ({
  id: t.id,
  name: t.name,
  supervisorId: t.supervisor_id,
  memberIds: t.member_ids ?? [],
  version: t.version,
});

const RoleOut = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtin: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'Role' });
const presentRole = (r: RoleRow, locale: Locale) => ({
  id: r.id,
  key: r.key,
  name: r.builtin ? roleDisplayName(r.key, r.name, locale) : r.name,
  description: r.description,
  permissions: r.permissions,
  builtin: r.builtin,
  version: r.version,
});

const UserCreate = z.object({
  email,
  name: z.string().trim().min(1).max(100),
  password: i18nPassword,
  roleId: z.string().optional(),
  roleKey: z.string().optional(),
  teamIds: z.array(z.string()).max(50).optional(),
  skills: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  locale: z.enum(LOCALES).nullable().optional(),
});
const UserPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  roleId: z.string().optional(),
  teamIds: z.array(z.string()).max(50).optional(),
  skills: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  password: i18nPassword.optional(),
  locale: z.enum(LOCALES).nullable().optional(),
});
const TeamIn = z.object({
  name: z.string().trim().min(1).max(100),
  supervisorId: z.string().nullable().optional(),
  memberIds: z.array(z.string()).max(500).optional(),
});
const RoleIn = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  permissions: z.array(z.string()).max(100),
});

export async function identityRoutes(app: App, svc: IdentityService) {
  const tags = ['Users, teams and roles'];

  app.get(
    '/api/v1/users',
    { schema: { tags, querystring: pageQuery, response: { 200: page(UserOut), ...errors } } },
    async (req) => {
      const r = await svc.usersPage(ctxOf(req), req.query);
      return { ...r, items: r.items.map((u) => presentUser(u, req.locale)) };
    },
  );

  app.get(
    '/api/v1/users/directory',
    {
      schema: {
        tags,
        description: 'Active members, for owner and assignee pickers (any signed-in user).',
        querystring: pageQuery,
        response: {
          200: page(
            z.object({
              id: z.string(),
              name: z.string(),
              roleKey: z.string(),
              roleName: z.string(),
              teamIds: z.array(z.string()),
              skills: z.array(z.string()),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await svc.directoryPage(ctxOf(req), req.query);
      return {
        ...r,
        items: r.items.map((u) => ({
          id: u.id,
          name: u.name,
          roleKey: u.role_key,
          roleName: roleDisplayName(u.role_key, u.role_name, req.locale),
          teamIds: u.team_ids,
          skills: u.skills,
        })),
      };
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags, params: idParams, response: { 200: UserOut, ...errors } } },
    async (req, reply) => {
      const u = await svc.getUser(ctxOf(req), req.params.id);
      reply.header('etag', etag(u.version));
      return presentUser(u, req.locale);
    },
  );

  app.post(
    '/api/v1/users',
    { schema: { tags, body: UserCreate, response: { 201: UserOut, ...errors } } },
    async (req, reply) => {
      const u = await svc.createUser(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(u.version));
      return presentUser(u, req.locale);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    { schema: { tags, params: idParams, body: UserPatch, response: { 200: UserOut, ...errors } } },
    async (req, reply) => {
      const u = await svc.updateUser(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(u.version));
      return presentUser(u, req.locale);
    },
  );

  app.get(
    '/api/v1/teams',
    { schema: { tags, querystring: pageQuery, response: { 200: page(TeamOut), ...errors } } },
    async (req) => {
      const r = await svc.teamsPage(ctxOf(req), req.query);
      return { ...r, items: r.items.map(presentTeam) };
    },
  );
  app.post(
    '/api/v1/teams',
    { schema: { tags, body: TeamIn, response: { 201: TeamOut, ...errors } } },
    async (req, reply) => {
      reply.status(201);
      return presentTeam(await svc.createTeam(ctxOf(req), req.body));
    },
  );
  app.patch(
    '/api/v1/teams/:id',
    { schema: { tags, params: idParams, body: TeamIn.partial(), response: { 200: TeamOut, ...errors } } },
    async (req) =>
      presentTeam(
        await svc.updateTeam(ctxOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match'])),
      ),
  );

  app.get(
    '/api/v1/roles',
    { schema: { tags, querystring: pageQuery, response: { 200: page(RoleOut), ...errors } } },
    async (req) => {
      const r = await svc.listRoles(ctxOf(req), req.query);
      return { ...r, items: r.items.map((x) => presentRole(x, req.locale)) };
    },
  );
  app.post(
    '/api/v1/roles',
    { schema: { tags, body: RoleIn, response: { 201: RoleOut, ...errors } } },
    async (req, reply) => {
      reply.status(201);
      return presentRole(await svc.createRole(ctxOf(req), req.body), req.locale);
    },
  );
  app.patch(
    '/api/v1/roles/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: RoleIn.omit({ key: true }).partial(),
        response: { 200: RoleOut, ...errors },
      },
    },
    async (req) =>
      presentRole(
        await svc.updateRole(ctxOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match'])),
        req.locale,
      ),
  );
  app.delete(
    '/api/v1/roles/:id',
    { schema: { tags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.deleteRole(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/permissions',
    { schema: { tags, response: { 200: list(z.object({ key: z.string(), group: z.string() })) } } },
    async () => ({
      items: Object.entries(PERMISSIONS).map(([key, group]) => ({ key, group })),
    }),
  );
}
