import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { roleDisplayName } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { AppError } from '../../platform/http/errors.ts';
import { errors, idParams, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import { LOCALES, type Locale } from '../../platform/i18n/i18n.ts';
import { type AuthService, SESSION_COOKIE, type TokenRow } from './auth.service.ts';
import type { OrgRow, UserWithRole } from './identity.repo.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const MeOut = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      locale: z.string().nullable(),
      roleKey: z.string(),
      roleName: z.string(),
      permissions: z.array(z.string()),
      teamIds: z.array(z.string()),
    }),
    org: z.object({ id: z.string(), name: z.string(), timeZone: z.string(), locale: z.string() }),
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'Me' });

const TokenOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

function presentMe(
  user: UserWithRole,
  org: OrgRow,
  csrfToken: string | null,
  locale: Locale,
): z.infer<typeof MeOut> {
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      locale: user.locale,
      roleKey: user.role_key,
      roleName: roleDisplayName(user.role_key, user.role_name, locale),
      permissions: user.permissions,
      teamIds: user.team_ids,
    },
    org: { id: org.org_id, name: org.name, timeZone: org.time_zone, locale: org.locale },
    csrfToken,
  };
}

const presentToken = (t: TokenRow) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: iso(t.created_at)!,
  lastUsedAt: iso(t.last_used_at),
  expiresAt: iso(t.expires_at),
  revokedAt: iso(t.revoked_at),
});

const savedLocale = (v: string | null): Locale | null =>
  v && (LOCALES as readonly string[]).includes(v) ? (v as Locale) : null;

/**
 * Builds the request authenticator used by the HTTP layer: a Bearer API token, or the session cookie plus,
 * on writes, the X-CSRF-Token header that login returned. A signed-in user's saved language wins over the
 * request's Accept-Language: 422 messages and other texts come in the language they chose.
 */
export function makeAuthenticator(auth: AuthService) {
  return async (req: FastifyRequest): Promise<Ctx | null> => {
    const header = req.headers.authorization;
    if (header?.toLowerCase().startsWith('bearer ')) {
      const r = await auth.authenticate({ kind: 'token', secret: header.slice(7).trim() });
      return r ? { ...r.ctx, locale: savedLocale(r.user.locale) ?? req.locale, requestId: req.id } : null;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (!cookie) return null;
    const r = await auth.authenticate({ kind: 'session', secret: cookie });
    if (!r) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers['x-csrf-token'];
      if (!auth.checkCsrf(r.csrfToken, typeof given === 'string' ? given : undefined))
        throw new AppError('csrf');
    }
    return { ...r.ctx, locale: savedLocale(r.user.locale) ?? req.locale, requestId: req.id };
  };
}

export async function authRoutes(
  app: App,
  auth: AuthService,
  opts: { cookieSecure: boolean; sessionDays: number; loginRatePerMinute: number },
) {
  const tags = ['Authentication'];

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: false, rateLimit: { max: opts.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        security: [],
        body: z.object({
          email: z.string().trim().min(1).max(254),
          password: z.string().min(1).max(200),
          org: z.string().optional(),
        }),
        response: { 200: MeOut, 401: errors[401], 422: errors[422] },
      },
    },
    async (req, reply) => {
      const r = await auth.login({
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        locale: req.locale,
      });
      reply.setCookie(SESSION_COOKIE, r.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.cookieSecure,
        maxAge: opts.sessionDays * 86400,
      });
      return presentMe(r.user, r.org, r.csrfToken, savedLocale(r.user.locale) ?? req.locale);
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { tags, response: { 200: MeOut, 401: errors[401] } } },
    async (req) => {
      const ctx = ctxOf(req);
      const { user, org } = await auth.me(ctx);
      let csrf: string | null = null;
      if (ctx.actor.via === 'session') {
        const r = await auth.authenticate({ kind: 'session', secret: req.cookies[SESSION_COOKIE] ?? '' });
        csrf = r?.csrfToken ?? null;
      }
      return presentMe(user, org, csrf, req.locale);
    },
  );

  app.patch(
    '/api/v1/auth/me',
    {
      schema: {
        tags,
        description: 'Your own settings: language (null: follow the browser) and display name.',
        body: z.object({
          name: z.string().trim().min(1).max(100).optional(),
          locale: z.enum(LOCALES).nullable().optional(),
        }),
        response: { 200: MeOut, ...errors },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      const { user, org } = await auth.updateMe(ctx, req.body);
      let csrf: string | null = null;
      if (ctx.actor.via === 'session') {
        const r = await auth.authenticate({ kind: 'session', secret: req.cookies[SESSION_COOKIE] ?? '' });
        csrf = r?.csrfToken ?? null;
      }
      return presentMe(user, org, csrf, savedLocale(user.locale) ?? req.locale);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { rateLimit: { max: opts.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        description:
          'Changes your own password. The current password is required; every other session of yours ends.',
        body: z.object({
          currentPassword: z.string().min(1).max(200),
          newPassword: z.string().min(1).max(200),
        }),
        response: { 200: z.object({ otherSessionsRevoked: z.number() }), ...errors },
      },
    },
    async (req) => auth.changePassword(ctxOf(req), req.body),
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags, response: { 204: z.null(), 401: errors[401] } } },
    async (req, reply) => {
      await auth.logout(ctxOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      schema: {
        tags,
        description: 'Creates a personal API token. The token is shown only in this response.',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
        }),
        response: { 201: TokenOut.extend({ token: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const t = await auth.createToken(ctxOf(req), req.body);
      reply.status(201);
      return { ...presentToken(t), token: t.token };
    },
  );
  app.get(
    '/api/v1/auth/tokens',
    {
      schema: {
        tags,
        description: 'Your API tokens, newest first.',
        querystring: pageQuery,
        response: { 200: page(TokenOut), ...errors },
      },
    },
    async (req) => {
      const r = await auth.listTokens(ctxOf(req), req.query);
      return { ...r, items: r.items.map(presentToken) };
    },
  );
  app.delete(
    '/api/v1/auth/tokens/:id',
    { schema: { tags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await auth.revokeToken(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
