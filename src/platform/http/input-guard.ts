import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type FieldError } from './errors.ts';

/**
 * Text the database cannot store faithfully is refused at the door, once for the whole API: a NUL character
 * (PostgreSQL text and jsonb reject it), an unpaired UTF-16 surrogate (`\ud800` in JSON: it would be stored as
 * U+FFFD) and bytes that are not UTF-8 (in a JSON body or a percent-encoded query). Each answers 422 naming the
 * field (`customer.custom.color`, `q`, `id`), never a 500 and never a silent replacement.
 */

const NUL = '\u0000';
// Without the u flag a regex sees UTF-16 code units: a high surrogate not followed by a low one, or a low one alone.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, as a validation.* key, or null when it is fine. */
export function badTextKey(s: string): string | null {
  if (s.includes(NUL)) return 'validation.nul_char';
  if (LONE_SURROGATE.test(s)) return 'validation.lone_surrogate';
  return null;
}

/** Every bad string (values and member names) under value, by dotted path; the first per path. */
export function findBadText(value: unknown, base: string): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      const key = badTextKey(v);
      if (key && !out[path]) out[path] = { key };
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], join(path, String(i)), depth + 1);
      return;
    }
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        const bad = badTextKey(k);
        if (bad) {
          out[path || base] ??= { key: bad };
          continue;
        }
        walk(x, join(path, k), depth + 1);
      }
    }
  };
  walk(value, '', 0);
  return out;
}

const join = (a: string, b: string) => (a ? `${a}.${b}` : b);

/**
 * The query string as sent: a percent-encoded value that is not UTF-8 (`%FF`, `%ED%A0%80`, a lone surrogate)
 * would be decoded to U+FFFD by the parser. Names the parameter it belongs to.
 */
export function findBadQueryEncoding(url: string): Record<string, FieldError> {
  const i = url.indexOf('?');
  if (i < 0) return {};
  const out: Record<string, FieldError> = {};
  for (const pair of url.slice(i + 1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = strictDecode(rawKey);
    if (key === null) {
      out.query ??= { key: 'validation.invalid_utf8' };
      continue;
    }
    if (strictDecode(rawValue) === null) out[key] ??= { key: 'validation.invalid_utf8' };
  }
  return out;
}

function strictDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/** preValidation hook: body, query and path parameters are walked before the route's schema sees them. */
export async function refuseBadText(req: FastifyRequest): Promise<void> {
  const fields: Record<string, FieldError> = {
    ...findBadQueryEncoding(req.url),
    ...findBadText(req.params, 'params'),
    ...findBadText(req.query, 'query'),
  };
  if (req.body !== undefined && typeof req.body === 'object')
    Object.assign(fields, findBadText(req.body, 'body'));
  else if (typeof req.body === 'string') Object.assign(fields, findBadText({ body: req.body }, 'body'));
  if (Object.keys(fields).length) throw new AppError('validation', { fields });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON body's bytes as text; bytes that are not UTF-8 answer 422 on `body` instead of becoming U+FFFD. */
export function decodeUtf8Body(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new AppError('validation', { fields: { body: { key: 'validation.invalid_utf8' } } });
  }
}

// ---- Free JSON fields (custom fields, process data): a cap on their serialized size ----

let jsonFieldMaxBytes = 64 * 1024;

/** Set once at start from the config (KEPT_JSON_FIELD_MAX_KB). */
export function setJsonFieldMaxBytes(n: number): void {
  jsonFieldMaxBytes = n;
}

export function jsonFieldLimit(): number {
  return jsonFieldMaxBytes;
}

/** True when value, as stored (JSON, UTF-8), is larger than the cap. */
export function jsonTooLarge(value: unknown): boolean {
  const s = JSON.stringify(value ?? null);
  // Cheap first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (s.length * 3 <= jsonFieldMaxBytes) return false;
  return Buffer.byteLength(s, 'utf8') > jsonFieldMaxBytes;
}

/** The field error of an oversized JSON value (for services that build one, e.g. merged process data). */
export function jsonTooLargeError(field: string): AppError {
  return new AppError('validation', {
    fields: {
      [field]: { key: 'validation.json_too_large', vars: { max: Math.floor(jsonFieldMaxBytes / 1024) } },
    },
  });
}

/**
 * A free JSON object (custom field values, process data): any members, at most KEPT_JSON_FIELD_MAX_KB serialized
 * (64 KiB by default). Larger answers 422 naming the field.
 */
export const freeJson = () =>
  z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
    if (jsonTooLarge(v))
      ctx.addIssue({
        code: 'custom',
        message: 'validation.json_too_large',
        params: { max: Math.floor(jsonFieldMaxBytes / 1024) },
      });
  });
