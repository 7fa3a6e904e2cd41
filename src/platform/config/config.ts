import path from 'node:path';
import { z } from 'zod';

/**
 * The one configuration object, validated at boot. Every variable is documented in the README
 * ("Configuration"). Nothing else in the code reads process.env.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  KEPT_DATA_DIR: z.string().default('./data'),
  KEPT_DEMO: z.enum(['0', '1']).default('1'),
  KEPT_DEMO_PASSWORD: z.string().min(8).optional(),
  KEPT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEPT_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  KEPT_COOKIE_SECURE: z.enum(['0', '1']).default('0'),
  KEPT_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  KEPT_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  KEPT_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  KEPT_PII_LOOKUPS_PER_10_MIN: z.coerce.number().int().min(1).default(20),
  KEPT_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  KEPT_WEB_DIST: z.string().optional(),
  KEPT_WORKER: z.enum(['0', '1']).default('1'),
  KEPT_TRUST_PROXY: z.string().default('0'),
  KEPT_TIMER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  KEPT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  KEPT_TIMER_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
  KEPT_SMTP_URL: z.string().url().optional(),
  KEPT_MAIL_FROM: z.string().default('Kept <kept@localhost>'),
  KEPT_PUBLIC_URL: z.string().url().optional(),
  KEPT_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  KEPT_JSON_BODY_MAX_KB: z.coerce.number().int().min(64).max(102_400).default(1024),
  KEPT_JSON_FIELD_MAX_KB: z.coerce.number().int().min(1).max(10_240).default(64),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  demo: boolean;
  demoPassword?: string;
  logLevel: z.infer<typeof envSchema>['KEPT_LOG_LEVEL'];
  sessionDays: number;
  cookieSecure: boolean;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRatePerMinute: number;
  /** Lookups by a full mobile or email that the user sees masked, per user and 10 minutes (then 429). */
  piiLookupsPer10Min: number;
  pgPoolSize: number;
  webDist: string;
  /** Whether `kept serve` also runs the timer worker (SLA clocks, automations, deliveries). */
  worker: boolean;
  timerPollMs: number;
  /** Finished timers and dispatched domain events are deleted after this many days. */
  retentionDays: number;
  /** Due timers a worker claims and fires in one transaction. */
  timerBatch: number;
  /** Proxy trust for client IPs: false, a hop count, or addresses/CIDRs (comma-separated). */
  trustProxy: boolean | number | string;
  /** SMTP server for outgoing mail (smtp:// or smtps://); unset = email channel off. */
  smtpUrl?: string;
  mailFrom: string;
  /** The address users reach Kept at, for links in emails. */
  publicUrl?: string;
  webhookMaxAttempts: number;
  /** Largest JSON request body (bytes); file uploads have their own limit. */
  jsonBodyMaxBytes: number;
  /** Largest free JSON field (custom fields, process data), serialized (bytes). */
  jsonFieldMaxBytes: number;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.KEPT_DATA_DIR),
    demo: e.KEPT_DEMO === '1',
    demoPassword: e.KEPT_DEMO_PASSWORD,
    logLevel: e.KEPT_LOG_LEVEL,
    sessionDays: e.KEPT_SESSION_DAYS,
    cookieSecure: e.KEPT_COOKIE_SECURE === '1',
    loginMaxFailures: e.KEPT_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.KEPT_LOGIN_LOCK_MINUTES,
    loginRatePerMinute: e.KEPT_LOGIN_RATE_PER_MINUTE,
    piiLookupsPer10Min: e.KEPT_PII_LOOKUPS_PER_10_MIN,
    pgPoolSize: e.KEPT_PG_POOL_SIZE,
    webDist: path.resolve(e.KEPT_WEB_DIST ?? 'web/dist'),
    worker: e.KEPT_WORKER === '1',
    timerPollMs: e.KEPT_TIMER_POLL_MS,
    retentionDays: e.KEPT_RETENTION_DAYS,
    timerBatch: e.KEPT_TIMER_BATCH,
    trustProxy: parseTrustProxy(e.KEPT_TRUST_PROXY),
    smtpUrl: e.KEPT_SMTP_URL,
    mailFrom: e.KEPT_MAIL_FROM,
    publicUrl: e.KEPT_PUBLIC_URL?.replace(/\/+$/, ''),
    webhookMaxAttempts: e.KEPT_WEBHOOK_MAX_ATTEMPTS,
    jsonBodyMaxBytes: e.KEPT_JSON_BODY_MAX_KB * 1024,
    jsonFieldMaxBytes: e.KEPT_JSON_FIELD_MAX_KB * 1024,
  };
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === '0' || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}
