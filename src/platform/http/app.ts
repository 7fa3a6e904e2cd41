import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/db.ts';
import { withEventCatalog } from '../events/openapi.ts';
import { type Locale, localizeMessage, negotiateLocale, t, zodErrorMap } from '../i18n/i18n.ts';
import { AppError, ERROR_STATUS, type FieldError } from './errors.ts';
import { idempotencyHooks } from './idempotency.ts';
import { decodeUtf8Body, refuseBadText, setJsonFieldMaxBytes } from './input-guard.ts';
import { idempotencyKeyParameter, pruneUnusedSchemas, withIdempotencyHeader } from './openapi.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    ctx?: Ctx;
  }
  interface FastifyContextConfig {
    /** false for public routes (login, health). Every other route needs an authenticated actor. */
    auth?: boolean;
  }
}

export interface HttpOptions {
  logger: boolean | object;
  webDist?: string;
  cookieSecure: boolean;
  loginRatePerMinute: number;
  trustProxy: boolean | number | string;
  /** Resolves the actor of a request (session cookie or bearer token), or null. Provided by the identity module. */
  authenticate: (req: FastifyRequest) => Promise<Ctx | null>;
  /** The database of Idempotency-Key answers; without it the header is ignored. */
  idempotencyDb?: Db;
  /** Largest JSON request body (bytes); file uploads set their own limit. Default 1 MiB. */
  jsonBodyLimit?: number;
  /** Largest free JSON field (custom fields, process data), serialized (bytes). Default 64 KiB. */
  jsonFieldLimit?: number;
}

export async function buildHttp(opts: HttpOptions, register: (app: App) => Promise<void>): Promise<App> {
  const app = Fastify({
    logger: opts.logger,
    genReqId: () => randomUUID(),
    // Behind a reverse proxy set KEPT_TRUST_PROXY (hop count or addresses); otherwise clients cannot choose their IP.
    trustProxy: opts.trustProxy as boolean | string,
    // JSON bodies; file uploads (imports) declare their own, larger limit on their route.
    bodyLimit: opts.jsonBodyLimit ?? 1024 * 1024,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  // Public POST routes (login): no actor, so no Idempotency-Key (not documented there).
  const publicPosts: string[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (r.config?.auth === false && methods.includes('POST')) publicPosts.push(r.url);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('ctx', undefined);
  app.decorateRequest('idempotencyClaim', undefined);
  if (opts.jsonFieldLimit) setJsonFieldMaxBytes(opts.jsonFieldLimit);

  // JSON bodies are read as bytes and decoded strictly: bytes that are not UTF-8 answer 422 instead of turning
  // into U+FFFD; parsing stays Fastify's own (prototype-poisoning protection included).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = decodeUtf8Body(body as Buffer);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    parseJson(req, text, done);
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kept API',
        version: '1',
        description:
          'Kept customer-operations API. Authenticate with a personal API token (`Authorization: Bearer kept_…`) ' +
          'or a session cookie plus `X-CSRF-Token` on writes.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'kept_session' },
        },
        parameters: { IdempotencyKey: idempotencyKeyParameter },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: withEventCatalog((doc: Parameters<typeof jsonSchemaTransformObject>[0]) =>
      withIdempotencyHeader(pruneUnusedSchemas(jsonSchemaTransformObject(doc)), publicPosts),
    ),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (req) => {
    req.locale = negotiateLocale(req.headers['accept-language']);
  });

  // Before the body is read or validated: an anonymous caller cannot upload anything, and learns nothing about
  // what a valid body looks like. Authentication needs only headers and cookies (parsed by @fastify/cookie above).
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.auth === false) return;
    const url = req.routeOptions.url ?? '';
    if (!url.startsWith('/api/v1')) return;
    const ctx = await opts.authenticate(req);
    if (!ctx) throw new AppError('unauthenticated');
    // The authenticator may answer in the user's saved language (it falls back to the request's).
    req.locale = ctx.locale ?? req.locale;
    req.ctx = { ...ctx, locale: req.locale, requestId: req.id };
  });

  // NUL characters and unpaired surrogates anywhere in the body, query or path: 422 naming the field.
  app.addHook('preValidation', refuseBadText);
  if (opts.idempotencyDb) {
    const idem = idempotencyHooks({ db: opts.idempotencyDb });
    app.addHook('preHandler', idem.preHandler);
    app.addHook('onSend', idem.onSend);
  }

  app.setErrorHandler((err: FastifyError, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !opts.webDist || !fs.existsSync(opts.webDist)) {
      return sendError(new AppError('not_found'), req, reply);
    }
    // Single-page app: unknown paths render the app, which routes on the client.
    return reply.type('text/html').sendFile('index.html');
  });

  app.get('/healthz', { config: { auth: false }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/v1/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await register(app);

  if (opts.webDist && fs.existsSync(opts.webDist)) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: opts.webDist, wildcard: true, index: ['index.html'] });
  }
  return app;
}

/** The context of an authenticated request. Routes call this; the onRequest hook guarantees it for /api/v1. */
export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.ctx) throw new AppError('unauthenticated');
  return req.ctx;
}

function translateFields(locale: Locale, fields: Record<string, FieldError>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of Object.entries(fields)) out[k] = t(locale, f.key, f.vars);
  return out;
}

function sendError(err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) {
  const locale = req.locale ?? 'zh-CN';
  if (err instanceof AppError) {
    const body: Record<string, unknown> = {
      code: err.code,
      message: t(locale, `errors.${err.code}`, err.vars),
    };
    if (err.fields) body.fields = translateFields(locale, err.fields);
    if (err.extra) Object.assign(body, err.extra);
    return reply.status(err.status).send({ error: body });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return reply.status(422).send({
      error: {
        code: 'validation',
        message: t(locale, 'errors.validation'),
        fields: localizedFields(err, req, locale),
      },
    });
  }
  const fe = err as FastifyError;
  if (fe.statusCode === 429) {
    return reply
      .status(429)
      .send({ error: { code: 'rate_limited', message: t(locale, 'errors.rate_limited') } });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, wrong content type, body too large…: the client's mistake, said plainly.
    const code = fe.statusCode === 404 ? 'not_found' : 'bad_request';
    return reply
      .status(fe.statusCode)
      .send({ error: { code, message: t(locale, `errors.${code}`), detail: fe.message } });
  }
  req.log.error({ err }, 'unhandled error');
  return reply
    .status(ERROR_STATUS.internal)
    .send({ error: { code: 'internal', message: t(locale, 'errors.internal'), requestId: req.id } });
}

/** Re-runs the route's zod schema with the caller's locale so that every field message is in their language. */
function localizedFields(err: FastifyError, req: FastifyRequest, locale: Locale): Record<string, string> {
  const part = (err.validationContext ?? 'body') as 'body' | 'querystring' | 'params' | 'headers';
  const schema = (req.routeOptions.schema as Record<string, unknown> | undefined)?.[part] as
    | ZodType
    | undefined;
  const data =
    part === 'body'
      ? req.body
      : part === 'querystring'
        ? req.query
        : part === 'params'
          ? req.params
          : req.headers;
  const fields: Record<string, string> = {};
  if (schema && typeof (schema as { safeParse?: unknown }).safeParse === 'function') {
    const r = schema.safeParse(data, { error: zodErrorMap(locale) });
    if (!r.success) {
      for (const issue of r.error.issues) {
        const key = issue.path.length ? issue.path.join('.') : part;
        const vars =
          issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
        fields[key] ??= vars ? t(locale, issue.message, vars) : localizeMessage(locale, issue.message);
      }
      return fields;
    }
  }
  for (const v of err.validation ?? []) {
    const key = (v.instancePath || '').replace(/^\//, '').replaceAll('/', '.') || part;
    fields[key] ??= v.message ?? 'invalid';
  }
  return fields;
}
